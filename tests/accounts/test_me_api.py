"""``/api/v1/me/``: the caller's own account with its verified number and residency; PATCH changes the profile."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from accounts.models import ResidencyStatus
from accounts.residency import residency_mark_verified
from core.jalali import jalali_date_string
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def hoods(district, other_district):
    return (
        factories.NeighborhoodFactory(area=factories.AreaFactory(district=district)),
        factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district)),
    )


def _api(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


def test_me_says_whether_the_number_is_verified_and_where_the_user_lives(hoods, district_staff):
    since = timezone.now() - dt.timedelta(days=10)
    user = factories.UserFactory(home_neighborhood=hoods[0], home_since=since, national_code="0499370899")
    body = _api(user).get("/api/v1/me/").json()
    assert body["mobile_verified"] is True
    residency = body["residency"]
    assert residency["neighborhood"] == {"id": hoods[0].pk, "name": hoods[0].name}
    assert residency["status"] == "declared"
    assert residency["since"].startswith(timezone.localtime(since).date().isoformat())
    expected = timezone.localtime(since).date() + dt.timedelta(days=90)
    assert residency["can_change_after"].startswith(expected.isoformat())
    assert "0499370899" not in str(body) and "national_code" not in body  # the code stays on the profile page

    residency_mark_verified(actor=district_staff, user=user)
    assert _api(user).get("/api/v1/me/").json()["residency"]["status"] == ResidencyStatus.VERIFIED

    unverified = factories.UserFactory(unverified=True)
    body = _api(unverified).get("/api/v1/me/").json()
    assert body["mobile_verified"] is False
    assert body["residency"] == {"neighborhood": None, "status": "declared", "since": None, "can_change_after": None}


def test_patch_changes_name_email_and_a_first_home(hoods):
    user = factories.UserFactory()
    response = _api(user).patch(
        "/api/v1/me/",
        {"display_name": "  نام تازه ", "email": "New@Example.org", "home_neighborhood": hoods[0].pk},
        format="json",
    )
    assert response.status_code == 200, response.json()
    body = response.json()
    assert (body["display_name"], body["email"], body["home_neighborhood"]) == (
        "نام تازه",
        "new@example.org",
        hoods[0].pk,
    )
    assert body["residency"]["neighborhood"]["id"] == hoods[0].pk and body["residency"]["since"]
    user.refresh_from_db()
    assert user.home_neighborhood == hoods[0] and user.email == "new@example.org"


def test_patch_refuses_a_move_within_the_cooldown_with_a_persian_field_error(hoods):
    user = factories.UserFactory(home_neighborhood=hoods[0], home_since=timezone.now() - dt.timedelta(days=5))
    response = _api(user).patch("/api/v1/me/", {"home_neighborhood": hoods[1].pk}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    message = body["errors"]["home_neighborhood"][0]
    expected = jalali_date_string(timezone.localtime(user.home_since).date() + dt.timedelta(days=90))
    assert "به‌تازگی" in message and expected in message
    user.refresh_from_db()
    assert user.home_neighborhood == hoods[0]


def test_patch_cannot_change_the_number_role_or_anything_private(hoods):
    user = factories.UserFactory()
    phone, role = user.phone, user.role
    response = _api(user).patch(
        "/api/v1/me/",
        {"phone": "09129999999", "role": "city_admin", "national_code": "0499370899", "mobile_verified": False},
        format="json",
    )
    assert response.status_code == 200
    user.refresh_from_db()
    assert (user.phone, user.role, user.national_code, user.mobile_verified) == (phone, role, None, True)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"home_neighborhood": 99_999_999}, "home_neighborhood"),
        ({"home_neighborhood": "x"}, "home_neighborhood"),
        ({"display_name": "   "}, "display_name"),
        ({"display_name": "ن" * 81}, "display_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_patch_bad_values_are_field_errors(hoods, body, field):
    user = factories.UserFactory()
    response = _api(user).patch("/api/v1/me/", body, format="json")
    assert response.status_code == 400
    assert field in response.json()["errors"]


def test_patch_an_email_someone_else_has_is_a_field_error(hoods):
    factories.UserFactory(email="taken@example.org")
    response = _api(factories.UserFactory()).patch("/api/v1/me/", {"email": "TAKEN@example.org"}, format="json")
    assert response.status_code == 400 and "email" in response.json()["errors"]


def test_put_is_not_offered_and_anonymous_callers_are_refused():
    user = factories.UserFactory()
    assert _api(user).put("/api/v1/me/", {"display_name": "x"}, format="json").status_code == 405
    assert APIClient().patch("/api/v1/me/", {"display_name": "x"}, format="json").status_code in (401, 403)
