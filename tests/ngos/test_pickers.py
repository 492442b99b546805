"""The organisation, plan and volunteer forms pick places from grouped lists that work without scripts.

The page is a plain ``<select multiple>`` with one ``<optgroup>`` per district
(by number) and neighbourhoods in Persian dictionary order; ``pickers.js``
makes it searchable. Whatever the page offered, the form accepts only the
organisation's own city.
"""

from __future__ import annotations

import re

import pytest

from core.persian import sort_key, to_persian_digits
from ngos.models import Plan
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hoods(organization):
    """Names whose code-point order is not the Persian one (ت before پ, ل before ک)."""
    city = organization.city
    two = factories.DistrictFactory(city=city, number=2)
    ten = factories.DistrictFactory(city=city, number=10)
    made = {}
    for district, names in ((ten, ("لاله", "کوثر")), (two, ("تهران‌پارس", "پونک"))):
        area = factories.AreaFactory(district=district)
        for name in names:
            made[name] = factories.NeighborhoodFactory(area=area, name=name)
    return made


def _groups(html: str, name: str) -> list[tuple[str, list[str]]]:
    select = re.search(rf'<select name="{name}"[^>]*>(.*?)</select>', html, re.S)
    assert select, f"no select for {name}"
    groups = re.findall(r'<optgroup label="([^"]*)">(.*?)</optgroup>', select.group(1), re.S)
    return [(label, re.findall(r"<option [^>]*>([^<]*)</option>", body)) for label, body in groups]


def test_sort_key_is_the_persian_dictionary_order():
    names = ["لاله", "کوثر", "تهران", "پونک", "آزادی", "ونک", "هفت حوض", "یوسف‌آباد", "گلستان"]
    expected = ["آزادی", "پونک", "تهران", "کوثر", "گلستان", "لاله", "ونک", "هفت حوض", "یوسف‌آباد"]
    assert sorted(names, key=sort_key) == expected


def test_the_areas_section_groups_neighbourhoods_by_district(client_for, manager, organization, hoods):
    response = client_for(manager).get(f"/organizations/{organization.pk}/edit/areas/")
    html = response.content.decode()
    groups = dict(_groups(html, "neighborhoods"))
    labels = list(groups)
    assert labels.index("منطقهٔ ۲") < labels.index("منطقهٔ ۱۰")  # districts by number, not by text
    assert groups["منطقهٔ ۲"] == ["پونک — منطقهٔ ۲", "تهران‌پارس — منطقهٔ ۲"]
    assert groups["منطقهٔ ۱۰"] == ["کوثر — منطقهٔ ۱۰", "لاله — منطقهٔ ۱۰"]
    assert re.search(r'<select name="neighborhoods"[^>]* data-picker=""', html)
    assert 'data-picker-empty="موردی یافت نشد"' in html
    assert "js/vendor/tom-select.complete.min.js" in html and "js/pickers.js" in html
    assert re.search(r'<select name="activities"[^>]* data-picker=""', html)  # fields of activity too
    assert _groups(html, "districts")[0][0] == organization.city.name


def test_the_plan_form_is_grouped_and_refuses_another_citys_neighbourhood(client_for, manager, organization, hoods):
    client = client_for(manager)
    url = f"/organizations/{organization.pk}/plans/new/"
    assert dict(_groups(client.get(url).content.decode(), "target_neighborhoods"))["منطقهٔ ۲"]
    data = {"title": "کتابخانهٔ محله", "description": "قفسه و کتاب", "estimated_budget": "1000000"}
    elsewhere = factories.NeighborhoodFactory()
    response = client.post(url, {**data, "target_neighborhoods": [elsewhere.pk]})
    assert response.status_code == 200 and "field-invalid" in response.content.decode()
    assert not Plan.objects.exists()
    client.post(url, {**data, "target_neighborhoods": [hoods["پونک"].pk]})
    assert list(Plan.objects.get().target_neighborhoods.all()) == [hoods["پونک"]]


def test_the_volunteer_profile_groups_districts_by_city(client_for, citizen, district, other_district):
    html = client_for(citizen).get("/volunteer/profile/").content.decode()
    [(city, districts)] = _groups(html, "districts")
    assert city == district.city.name
    numbers = sorted([district.number, other_district.number])
    assert districts == [f"منطقهٔ {to_persian_digits(number)}" for number in numbers]
