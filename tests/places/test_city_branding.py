"""A city's public look and rules on one admin page, its own admins only; pages get its colours from /city.css."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template import engines
from django.test import RequestFactory
from PIL import Image

from places.models import City, CityParticipationSettings
from tests import factories
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db
PREFIX = "participation_settings-0-"


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (64, 64), "#1f6f50").save(out, format="PNG")
    return SimpleUploadedFile("logo.png", out.getvalue(), content_type="image/png")


def _change(city) -> str:
    return f"/admin/places/city/{city.pk}/change/"


def _admin_of(city):
    return factories.CityAdminFactory(staff_city=city, is_superuser=False)


def test_a_city_admin_sets_the_look_and_the_rules_on_one_persian_page(client_for):
    city = factories.CityFactory()
    client = client_for(_admin_of(city))
    page = client.get(_change(city)).content.decode()
    for heading in ("نمای عمومی شهر", "بررسی نظرها", "سکونت و احراز هویت", "اطلاعیه‌ها", "رنگ اصلی", "رنگ تأکیدی"):
        assert heading in page, heading

    data = admin_form_data(client, _change(city))
    data |= {
        "display_name": "شهرداری  کاشان",
        "primary_color": "#1F6F50",
        "accent_color": "#a23b72",
        "logo": _png(),
        f"{PREFIX}moderation_policy": "post",
        f"{PREFIX}flags_to_hide": "2",
        f"{PREFIX}residency_cooldown_days": "30",
    }
    data.pop(f"{PREFIX}use_default_flagged_words", None)  # unticked
    response = client.post(_change(city), data)
    assert response.status_code == 302, response.content.decode()[:3000]

    city.refresh_from_db()
    assert (city.display_name, city.primary_color, city.accent_color) == ("شهرداری کاشان", "#1f6f50", "#a23b72")
    assert city.logo.name.startswith("cities/") and city.logo.name.endswith(".png")
    rules = CityParticipationSettings.objects.get(city=city)
    assert (rules.moderation_policy, rules.flags_to_hide, rules.residency_cooldown_days) == ("post", 2, 30)
    assert rules.use_default_flagged_words is False


@pytest.mark.parametrize("colour", ["red", "#12345", "#12345g", "#1234567"])
def test_a_bad_colour_is_a_persian_form_error(client_for, colour):
    city = factories.CityFactory()
    client = client_for(_admin_of(city))
    response = client.post(_change(city), admin_form_data(client, _change(city)) | {"primary_color": colour})
    assert response.status_code == 200
    page = response.content.decode()
    assert "رنگ را به صورت # و شش رقم شانزده‌شانزدهی وارد کنید" in page or "حداکثر" in page
    city.refresh_from_db()
    assert city.primary_color == ""


def test_a_logo_that_is_not_an_image_is_refused(client_for):
    city = factories.CityFactory()
    client = client_for(_admin_of(city))
    svg = SimpleUploadedFile("logo.svg", b"<svg onload='alert(1)'></svg>", content_type="image/svg+xml")
    response = client.post(_change(city), admin_form_data(client, _change(city)) | {"logo": svg})
    assert response.status_code == 200 and "JPEG" in response.content.decode()
    city.refresh_from_db()
    assert not city.logo


def test_only_the_citys_own_admin_may_change_it(client_for, district_staff):
    own, other = factories.CityFactory(), factories.CityFactory()
    client = client_for(_admin_of(own))
    data = admin_form_data(client, _change(own)) | {"primary_color": "#000000"}
    assert client.post(_change(other), {**data, "name": other.name, "slug": other.slug}).status_code == 403
    staff = client_for(district_staff)
    assert staff.post(_change(own), data).status_code == 403
    own.refresh_from_db()
    other.refresh_from_db()
    assert own.primary_color == other.primary_color == ""


def test_city_css_carries_the_visitors_city_colours(client, client_for, neighborhood):
    city = neighborhood.district.city
    city.primary_color, city.accent_color = "#1f6f50", "#a23b72"
    city.save()
    css = client.get("/city.css")  # the only city: everyone sees its look
    assert css["Content-Type"].startswith("text/css")
    body = css.content.decode()
    assert "--primary: #1f6f50;" in body and "--accent: #a23b72;" in body and "--primary-dark: #17533c;" in body

    factories.CityFactory(primary_color="#000000")
    assert client.get("/city.css").content == b""  # two cities: a stranger sees the portal's own look
    resident = factories.UserFactory(home_neighborhood=neighborhood)
    assert "#1f6f50" in client_for(resident).get("/city.css").content.decode()

    city.primary_color = "#222222"
    city.save()  # the cached look follows the admin's change
    assert "--primary: #222222;" in client_for(resident).get("/city.css").content.decode()


def test_pages_link_the_city_stylesheet_and_templates_read_the_branding(client, django_assert_max_num_queries):
    city = factories.CityFactory(display_name="شهرداری نمونه", accent_color="#a23b72")
    assert '<link rel="stylesheet" href="/city.css">' in client.get("/").content.decode()
    with django_assert_max_num_queries(2):
        client.get("/city.css")  # the only city's id, then its look: both from the cache afterwards
    with django_assert_max_num_queries(0):
        client.get("/city.css")

    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    template = engines["django"].from_string("{{ city_branding.name }} {{ city_branding.accent }}")
    assert template.render({}, request) == "شهرداری نمونه #a23b72"
    assert City.objects.get(pk=city.pk).public_name == "شهرداری نمونه"
