"""Budgeting cycles: a city admin starts one, district rounds join it in the admin, round pages name it."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from core.audit import history
from projects.models import BudgetingCycle, BudgetingRound
from projects.services import cycle_create, cycle_delete
from tests import factories

pytestmark = pytest.mark.django_db

ROUND_FORM = {
    "description": "",
    "total_budget": "10",
    "opens_on": "۱۴۰۵/۰۱/۰۱",
    "closes_on": "1405/02/01",
    "results-TOTAL_FORMS": "0",
    "results-INITIAL_FORMS": "0",
}


def test_a_city_admin_starts_a_cycle_on_record_and_district_staff_cannot(city_admin, district_staff, district):
    cycle = cycle_create(actor=city_admin, city=district.city, title="بودجه‌ریزی ۱۴۰۵")
    assert history(cycle).get(action="budgeting.cycle_created").actor == city_admin
    with pytest.raises(PermissionDenied):
        cycle_create(actor=district_staff, city=district.city, title="x")


def test_rounds_join_a_cycle_of_their_city_or_start_their_own(client_for, district_staff, district, other_district):
    cycle = factories.BudgetingCycleFactory(city=district.city, title="چرخهٔ مشترک")
    foreign = factories.BudgetingCycleFactory(title="چرخهٔ شهر دیگر")
    client = client_for(district_staff)
    form = client.get("/admin/projects/budgetinground/add/").content.decode()
    assert "چرخهٔ مشترک" in form and "چرخهٔ شهر دیگر" not in form  # only cycles of the staff's cities

    joined = client.post(
        "/admin/projects/budgetinground/add/",
        {**ROUND_FORM, "district": district.pk, "cycle": cycle.pk, "title": "دورهٔ منطقه"},
    )
    assert joined.status_code == 302
    assert BudgetingRound.objects.get(title="دورهٔ منطقه").cycle == cycle

    alone = client.post("/admin/projects/budgetinground/add/", {**ROUND_FORM, "district": district.pk, "title": "تنها"})
    assert alone.status_code == 302
    own = BudgetingRound.objects.get(title="تنها").cycle
    assert own != cycle and own.city == district.city

    refused = client.post(
        "/admin/projects/budgetinground/add/",
        {**ROUND_FORM, "district": district.pk, "cycle": foreign.pk, "title": "نادرست"},
    )
    assert refused.status_code == 200 and not BudgetingRound.objects.filter(title="نادرست").exists()


def test_a_cycle_with_rounds_stays(city_admin, district):
    budgeting_round = factories.BudgetingRoundFactory(district=district)
    with pytest.raises(ValidationError):
        cycle_delete(actor=city_admin, cycle=budgeting_round.cycle)
    empty = factories.BudgetingCycleFactory(city=district.city)
    cycle_delete(actor=city_admin, cycle=empty)
    assert not BudgetingCycle.objects.filter(pk=empty.pk).exists()


def test_round_pages_name_the_cycle(client, district, other_district):
    cycle = factories.BudgetingCycleFactory(city=district.city, title="بودجه‌ریزی مناطق ۱ و ۲")
    first = factories.BudgetingRoundFactory(district=district, cycle=cycle, title="دورهٔ منطقهٔ یک")
    factories.BudgetingRoundFactory(district=other_district, cycle=cycle, title="دورهٔ منطقهٔ دو")
    assert "بودجه‌ریزی مناطق ۱ و ۲" in client.get(first.get_absolute_url()).content.decode()
    listing = client.get("/budgeting/").content.decode()
    assert listing.count("بخشی از بودجه‌ریزی مناطق ۱ و ۲") == 2


def test_the_cycle_admin_lists_its_rounds_for_staff_of_the_city(
    client_for, district_staff, other_district_staff, district
):
    budgeting_round = factories.BudgetingRoundFactory(district=district, title="دورهٔ فهرست")
    page = client_for(district_staff).get(f"/admin/projects/budgetingcycle/{budgeting_round.cycle_id}/change/")
    assert page.status_code == 200 and "دورهٔ فهرست" in page.content.decode()
    other_city = factories.BudgetingCycleFactory()
    assert client_for(district_staff).get(f"/admin/projects/budgetingcycle/{other_city.pk}/change/").status_code != 200
