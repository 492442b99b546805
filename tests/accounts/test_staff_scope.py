import pytest

from accounts.models import Role
from accounts.permissions import can_act_in_district, scope_to_districts, staff_district_ids
from places.models import Neighborhood
from tests import factories


@pytest.mark.django_db
def test_scope_by_role(citizen, district_staff, city_admin, district, other_district):
    assert staff_district_ids(citizen) == set()
    assert staff_district_ids(district_staff) == {district.pk}
    assert staff_district_ids(city_admin) is None
    assert can_act_in_district(district_staff, district.pk)
    assert not can_act_in_district(district_staff, other_district.pk)
    assert not can_act_in_district(citizen, district.pk)
    assert can_act_in_district(city_admin, other_district.pk)


@pytest.mark.django_db
def test_city_admin_of_one_city_is_scoped_to_it(district):
    elsewhere = factories.DistrictFactory()
    admin = factories.UserFactory(role=Role.CITY_ADMIN, staff_city=district.city)
    assert admin.is_staff  # staff roles get admin access
    assert can_act_in_district(admin, district.pk)
    assert not can_act_in_district(admin, elsewhere.pk)


@pytest.mark.django_db
def test_inactive_staff_have_no_scope(district):
    staff = factories.StaffFactory(districts=[district], is_active=False)
    assert staff_district_ids(staff) == set()


@pytest.mark.django_db
def test_scope_to_districts_filters_rows(district_staff, district, other_district, citizen, city_admin):
    mine = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    theirs = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    qs = Neighborhood.objects.filter(pk__in=[mine.pk, theirs.pk])
    assert list(scope_to_districts(qs, district_staff, "district")) == [mine]
    assert list(scope_to_districts(qs, citizen, "district")) == []
    assert set(scope_to_districts(qs, city_admin, "district")) == {mine, theirs}
