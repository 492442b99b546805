"""The user admin shows how many accounts each sign-up network made in the last 24 hours, in fixed queries."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.identity import network_key
from core.persian import to_persian_digits
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/admin/accounts/user/"
CAMPAIGN = network_key("198.51.100.20")
HOME = network_key("192.0.2.1")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _accounts(count: int, network: str, hours_ago: float) -> list:
    joined = timezone.now() - dt.timedelta(hours=hours_ago)
    return [factories.UserFactory(signup_network=network, date_joined=joined) for _ in range(count)]


def test_the_busiest_networks_of_the_last_day_are_a_filter_with_counts(client_for, city_admin):
    _accounts(12, CAMPAIGN, hours_ago=3)
    _accounts(2, HOME, hours_ago=5)
    _accounts(30, HOME, hours_ago=24 * 10)  # many, but long ago
    html = client_for(city_admin).get(URL).content.decode()
    assert "شبکهٔ ثبت‌نام (حساب‌های ساخته‌شده در ۲۴ ساعت گذشته)" in html
    assert f"{CAMPAIGN} ({to_persian_digits(12)})" in html
    assert f"{HOME} ({to_persian_digits(2)})" in html
    assert html.index(f"{CAMPAIGN} (") < html.index(f"{HOME} (")
    assert f"{to_persian_digits(12)} حساب از این شبکه در ۲۴ ساعت گذشته" in html


def test_choosing_a_network_or_the_last_day_narrows_the_list(client_for, city_admin):
    campaign = _accounts(3, CAMPAIGN, hours_ago=3)
    home_old = _accounts(2, HOME, hours_ago=24 * 10)
    client = client_for(city_admin)
    by_network = client.get(URL, {"network": CAMPAIGN}).content.decode()
    assert all(_shown(u) in by_network for u in campaign) and not any(_shown(u) in by_network for u in home_old)
    recent = client.get(URL, {"joined": "24h"}).content.decode()
    assert all(_shown(u) in recent for u in campaign) and not any(_shown(u) in recent for u in home_old)


def _shown(user) -> str:
    """The mobile number as the user list shows it: 09…, in Persian digits."""
    return to_persian_digits(user.phone_local)


def _list_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(URL).status_code == 200
    return len(queries)


def test_the_counts_cost_the_same_queries_for_two_accounts_or_twenty(client_for, city_admin):
    client = client_for(city_admin)
    _accounts(2, CAMPAIGN, hours_ago=1)
    few = _list_queries(client)
    _accounts(18, network_key("203.0.113.9"), hours_ago=2)
    assert _list_queries(client) == few
