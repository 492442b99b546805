"""One lockout per account, on every door that checks a password, whatever the spelling.

The doors are found from the URL resolver: every route is sent a wrong
password (as a form and as JSON) and a route that makes Django report a failed
sign-in is a password door. Each door must be listed in ``DOORS`` with how to
knock on it, so a new door cannot be left out of the matrix.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.signals import user_login_failed
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, StaffFactory, UserFactory
from tests.security.routes import all_routes

PHONE = "+989121112233"
EMAIL = "person@example.org"
SPELLINGS = [
    "09121112233",
    "+989121112233",
    "989121112233",
    "۰۹۱۲۱۱۱۲۲۳۳",  # Persian digits
    "٠٩١٢١١١٢٢٣٣",  # Arabic digits
    "0912 111 2233",
    "Person@Example.ORG",
]


@dataclass(frozen=True)
class Door:
    name: str

    def knock(self, client: Client, username: str, password: str):
        if self.name == "api:token":
            return client.post(
                reverse(self.name),
                json.dumps({"username": username, "password": password}),
                content_type="application/json",
            )
        return client.post(reverse(self.name), {"username": username, "password": password})

    def let_in(self, response) -> bool:
        """The password was accepted: signed in, or (staff) sent on to the SMS code that completes it."""
        if self.name == "api:token":
            body = response.json()
            return (response.status_code == 200 and "token" in body) or (
                response.status_code == 202 and "expires_in" in body
            )
        return response.status_code == 302

    def assert_locked(self, response) -> None:
        assert response.status_code == 429, (self.name, response.status_code)
        if self.name == "api:token":
            assert response["Content-Type"].startswith("application/json")
            assert response.json()["code"] == "locked_out"
            assert "قفل" in response.json()["detail"]
        else:
            html = response.content.decode()
            assert 'lang="fa"' in html
            assert "قفل" in html


DOORS = {name: Door(name) for name in ("accounts:login", "admin:login", "api:token")}


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _fill(route) -> str | None:
    try:
        return reverse(route.name, kwargs={p: "1" if p.endswith("pk") or p == "pk" else "x" for p in route.params})
    except Exception:  # noqa: BLE001 - a converter that takes neither: try every value type
        try:
            return reverse(route.name, kwargs=dict.fromkeys(route.params, 1))
        except Exception:  # noqa: BLE001
            return None


@pytest.mark.django_db
def test_every_password_door_is_in_the_matrix(client):
    UserFactory(phone=PHONE, email=EMAIL)
    doors: set[str] = set()
    current: list[str] = []

    def failed(sender, credentials, request=None, **kwargs):
        doors.add(current[-1])

    user_login_failed.connect(failed)
    try:
        for route in all_routes():
            url = _fill(route)
            if url is None:
                continue
            current.append(route.name)
            client.post(url, {"username": "09121112233", "password": "wrong"})
            client.post(
                url, json.dumps({"username": "09121112233", "password": "wrong"}), content_type="application/json"
            )
            client.logout()
    finally:
        user_login_failed.disconnect(failed)
    assert doors == set(DOORS), "a view checks passwords: add it to DOORS"


@pytest.fixture
def account(db):
    return StaffFactory(phone=PHONE, email=EMAIL)


def _spread_failures(offset: int, limit: int) -> list[tuple[Door, str]]:
    """``limit`` wrong passwords spread over every door and spelling, starting at ``offset``."""
    doors = list(DOORS.values())
    return [(doors[(offset + i) % len(doors)], SPELLINGS[(offset + 2 * i) % len(SPELLINGS)]) for i in range(limit)]


@pytest.mark.django_db
@pytest.mark.parametrize("offset", range(len(SPELLINGS)))
def test_failures_spread_over_doors_and_spellings_lock_the_account_everywhere(account, settings, offset):
    # The per-account rate limit would refuse first; this test is about the lockout itself.
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": (1000, 600)}
    other = StaffFactory()
    client = Client()
    for door, spelling in _spread_failures(offset, settings.AXES_FAILURE_LIMIT):
        response = door.knock(client, spelling, "wrong")
        assert not door.let_in(response)

    for door in DOORS.values():
        for spelling in SPELLINGS:
            response = door.knock(Client(), spelling, PASSWORD)
            door.assert_locked(response)
            assert not door.let_in(response)
        # Another account on the same doors, from the same address, is not affected.
        assert door.let_in(door.knock(Client(), other.phone, PASSWORD)), door.name

    # After the cool-off the right password opens every door again.
    AccessAttempt.objects.update(attempt_time=AccessAttempt.objects.first().attempt_time - timedelta(days=1))
    for door in DOORS.values():
        assert door.let_in(door.knock(Client(), SPELLINGS[offset], PASSWORD)), door.name


@pytest.mark.django_db
def test_four_failures_by_phone_and_four_by_email_lock_the_account(account, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": (1000, 600)}
    page = DOORS["accounts:login"]
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        page.knock(Client(), "09121112233", "wrong")
        page.knock(Client(), EMAIL, "wrong")
    for door in DOORS.values():
        door.assert_locked(door.knock(Client(), EMAIL, PASSWORD))
        door.assert_locked(door.knock(Client(), "09121112233", PASSWORD))


@pytest.mark.django_db
def test_unknown_identifiers_lock_nobody_else(account, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "login_account": (1000, 600)}
    page = DOORS["accounts:login"]
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        page.knock(Client(), "09350000000", "wrong")
        page.knock(Client(), "nobody@example.org", "wrong")
    for door in DOORS.values():
        assert door.let_in(door.knock(Client(), EMAIL, PASSWORD)), door.name
