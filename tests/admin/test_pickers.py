"""The admin's searchable pickers offer what the staff member's districts allow, named with their district.

Each test asks Django's autocomplete endpoint the way the change form's
select2 box does (the referring model and field in the query) and reads the
JSON a staff member would see in the drop-down.
"""

from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import RequestFactory

from accounts.models import Role
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

AUTOCOMPLETE = "/admin/autocomplete/"
PROJECT_HOODS = {"app_label": "projects", "model_name": "project", "field_name": "neighborhoods"}


@pytest.fixture
def places():
    """Two districts of one city with a «نارمک» each, one more in another city."""
    city = factories.CityFactory(name="تهران")
    eight = factories.DistrictFactory(city=city, number=8, name="منطقه ۸")
    four = factories.DistrictFactory(city=city, number=4, name="منطقه ۴")
    hood = {}
    for key, district, name in (
        ("narmak8", eight, "نارمک"),
        ("narmak4", four, "نارمک"),
        ("yousef", eight, "کوی یوسف‌آباد ۱۲"),
    ):
        hood[key] = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district), name=name)
    elsewhere = factories.DistrictFactory(number=8, name="منطقه ۸")
    hood["elsewhere"] = factories.NeighborhoodFactory(area=factories.AreaFactory(district=elsewhere), name="نارمک")
    return {"city": city, "eight": eight, "four": four, **hood}


def _ask(client, term: str, **referring) -> list[dict]:
    response = client.get(AUTOCOMPLETE, {**PROJECT_HOODS, **referring, "term": term})
    assert response.status_code == 200, response.content
    return response.json()["results"]


def _texts(results: list[dict]) -> list[str]:
    return sorted(row["text"] for row in results)


def test_district_staff_find_only_their_districts_neighbourhoods(client_for, places):
    staff = factories.StaffFactory(districts=[places["eight"]])
    results = _ask(client_for(staff), "نارمک")
    assert _texts(results) == ["نارمک — منطقهٔ ۸"]
    assert results[0]["id"] == str(places["narmak8"].pk)


def test_a_city_admin_finds_every_district_of_the_city_and_a_superuser_every_city(client_for, places):
    city_admin = factories.UserFactory(role=Role.CITY_ADMIN, is_staff=True, staff_city=places["city"])
    assert _texts(_ask(client_for(city_admin), "نارمک")) == ["نارمک — منطقهٔ ۴", "نارمک — منطقهٔ ۸"]
    superuser = factories.CityAdminFactory()
    assert len(_ask(client_for(superuser), "نارمک")) == 3


@pytest.mark.parametrize("term", ["كوي", "يوسف‌آباد", "يوسفآباد ١٢", "۱۲", "12"])
def test_search_folds_arabic_letters_digits_and_zwnj(client_for, places, term):
    staff = factories.StaffFactory(districts=[places["eight"]])
    assert _texts(_ask(client_for(staff), term)) == ["کوی یوسف‌آباد ۱۲ — منطقهٔ ۸"]


def test_every_referring_field_keeps_the_target_admins_scope(client_for, places):
    """The account form offers every neighbourhood, but a district's staff member still sees only theirs."""
    staff = factories.StaffFactory(districts=[places["eight"]])
    client = client_for(staff)
    referring = {"app_label": "accounts", "model_name": "user", "field_name": "home_neighborhood"}
    assert _texts(_ask(client, "نارمک", **referring)) == ["نارمک — منطقهٔ ۸"]


def test_proposer_organisation_and_board_pickers_are_scoped(client_for, places):
    ours = factories.VerifiedOrganizationFactory(city=places["city"], districts=[places["eight"]], name="خیریه مهر")
    factories.VerifiedOrganizationFactory(city=places["city"], districts=[places["four"]], name="خیریه مهرگان")
    factories.TrusteeBoardFactory(neighborhood=places["narmak8"])
    factories.TrusteeBoardFactory(neighborhood=places["narmak4"])
    client = client_for(factories.StaffFactory(districts=[places["eight"]]))
    organizations = _ask(client, "مهر", field_name="proposer_organization")
    assert [row["id"] for row in organizations] == [str(ours.pk)]
    boards = _ask(client, "نارمک", field_name="proposer_board")
    assert len(boards) == 1 and boards[0]["text"].endswith("نارمک — منطقهٔ ۸")


def test_a_field_that_is_not_a_picker_is_refused(client_for, places):
    client = client_for(factories.StaffFactory(districts=[places["eight"]]))
    response = client.get(AUTOCOMPLETE, {**PROJECT_HOODS, "field_name": "title", "term": "x"})
    assert response.status_code == 403


def test_the_answer_does_not_grow_with_the_rows(client_for, places, django_assert_max_num_queries):
    for n in range(12):
        factories.NeighborhoodFactory(area=factories.AreaFactory(district=places["eight"]), name=f"نارمک {n}")
    client = client_for(factories.StaffFactory(districts=[places["eight"]]))
    client.get("/admin/")  # the session and the user are read once
    with django_assert_max_num_queries(8):
        assert len(_ask(client, "نارمک")) == 13


def test_the_form_accepts_only_what_the_picker_offers(places):
    """The form validates against the same scoped rows the autocomplete answers with."""
    staff = factories.StaffFactory(districts=[places["eight"]])
    request = RequestFactory().get("/admin/projects/project/add/")
    request.user = staff
    form = admin.site._registry[Project].get_form(request)()
    assert set(form.fields["neighborhoods"].queryset) == {places["narmak8"], places["yousef"]}


def test_the_project_form_has_persian_rtl_pickers_with_district_labels(client_for, places):
    project = factories.ProjectFactory(district=places["eight"], neighborhoods=[places["narmak8"]])
    response = client_for(factories.CityAdminFactory()).get(f"/admin/projects/project/{project.pk}/change/")
    html = response.content.decode()
    assert "admin/js/vendor/select2/i18n/fa.js" in html
    assert 'data-ajax--url="/admin/autocomplete/"' in html
    assert "نارمک — منطقهٔ ۸</option>" in html
    assert 'lang="fa" dir="rtl"' in html
