"""The geography admin under its own Persian heading, with the same access rules as before the move."""

from __future__ import annotations

import pytest

from places.models import CityParticipationSettings
from tests import factories

pytestmark = pytest.mark.django_db

GEOGRAPHY = ["/admin/places/city/", "/admin/places/district/", "/admin/places/area/", "/admin/places/neighborhood/"]
SETTINGS = "/admin/places/cityparticipationsettings/"


def test_city_admins_find_geography_and_city_settings_under_a_persian_heading(client_for, city_admin):
    page = client_for(city_admin).get("/admin/").content.decode()
    assert "جغرافیا و تنظیمات شهر" in page
    for url in [*GEOGRAPHY, SETTINGS]:
        assert f'href="{url}"' in page, url


def test_district_staff_see_geography_but_not_the_city_settings(client_for, district_staff):
    client = client_for(district_staff)
    page = client.get("/admin/").content.decode()
    assert "جغرافیا و تنظیمات شهر" in page and f'href="{SETTINGS}"' not in page
    for url in GEOGRAPHY:
        assert client.get(url).status_code == 200, url
    assert client.get(SETTINGS).status_code == 403
    assert client.get("/admin/places/city/add/").status_code == 403


def test_a_city_admin_keeps_only_their_own_citys_settings(client_for, district):
    own = CityParticipationSettings.objects.create(city=district.city)
    other = CityParticipationSettings.objects.create(city=factories.CityFactory())
    client = client_for(factories.CityAdminFactory(staff_city=district.city, is_superuser=False))
    listing = client.get(SETTINGS).content.decode()
    assert f"{SETTINGS}{own.pk}/change/" in listing and f"{SETTINGS}{other.pk}/change/" not in listing
    assert client.get(f"{SETTINGS}{other.pk}/change/").status_code == 302  # not found for them: back to the index
    response = client.post(
        f"{SETTINGS}{own.pk}/change/",
        {
            "city": district.city_id,
            "moderation_policy": "post",
            "flags_to_hide": "2",
            "residency_cooldown_days": "90",
            "announcement_sms_approval_threshold": "۵۰",
        },
    )
    assert response.status_code == 302
    own.refresh_from_db()
    assert (own.moderation_policy, own.flags_to_hide, own.announcement_sms_approval_threshold) == ("post", 2, 50)
    page = client.get(f"{SETTINGS}{own.pk}/change/").content.decode()
    assert "سقف گیرندگان پیامک اطلاعیه بدون تأیید مدیر سامانه" in page


def test_place_names_lose_bidi_controls_on_save(district):
    """places asks the kernel to clean its text columns, as neighborhoods did for these models."""
    place = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district), name="\u202eگلستان\u202c")
    place.refresh_from_db()
    assert place.name == "گلستان"
