"""A citizen's home: set freely once, then moved only after the city's cooldown or with staff's leave.

The same rule answers on the profile page, ``PATCH /api/v1/me/`` and the
admin: a move too soon is a field error on ``home_neighborhood`` naming, in
Persian digits, the Jalali date from which it is possible.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from accounts.models import ResidencyStatus, User
from accounts.residency import (
    home_change_after,
    residency_allow_early_move,
    residency_mark_verified,
    user_set_home,
)
from core.audit import history
from core.jalali import jalali_date_string
from tests import factories
from tests.admin_forms import admin_form_data

pytestmark = pytest.mark.django_db

COOLDOWN = "محلهٔ سکونت خود را به‌تازگی ثبت کرده‌اید"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hoods(district, other_district):
    """Two neighbourhoods in the fixture district and one in the other district of the same city."""
    area = factories.AreaFactory(district=district)
    other_area = factories.AreaFactory(district=other_district)
    return (
        factories.NeighborhoodFactory(area=area),
        factories.NeighborhoodFactory(area=area),
        factories.NeighborhoodFactory(area=other_area),
    )


@pytest.fixture
def settled(hoods):
    """A citizen who set their home ten days ago (the default cooldown is 90 days)."""
    return factories.UserFactory(home_neighborhood=hoods[0], home_since=timezone.now() - dt.timedelta(days=10))


def _expected_date(user: User) -> str:
    day = timezone.localtime(user.home_since).date() + dt.timedelta(days=90)
    return jalali_date_string(day)


# --- the rule ---------------------------------------------------------------------------
def test_the_first_home_is_set_freely_and_starts_the_clock(hoods):
    newcomer = factories.UserFactory()
    user_set_home(user=newcomer, neighborhood=hoods[0])
    newcomer.refresh_from_db()
    assert newcomer.home_neighborhood == hoods[0]
    assert timezone.now() - newcomer.home_since < dt.timedelta(minutes=1)
    assert newcomer.residency_status == ResidencyStatus.DECLARED
    with pytest.raises(ValidationError) as refused:
        user_set_home(user=newcomer, neighborhood=hoods[1])
    assert "home_neighborhood" in refused.value.message_dict


def test_an_account_from_before_home_dates_moves_freely_once(hoods):
    old = factories.UserFactory(home_neighborhood=hoods[0], home_since=None)
    user_set_home(user=old, neighborhood=hoods[2])
    assert old.home_neighborhood == hoods[2] and old.home_since is not None


def test_a_move_within_the_cooldown_names_the_jalali_date_in_persian_digits(settled, hoods):
    with pytest.raises(ValidationError) as refused:
        user_set_home(user=settled, neighborhood=hoods[2])
    message = refused.value.message_dict["home_neighborhood"][0]
    assert COOLDOWN in message
    assert _expected_date(settled) in message
    assert not any(c in "0123456789" for c in message)  # Persian digits only
    settled.refresh_from_db()
    assert settled.home_neighborhood == hoods[0]


def test_the_city_decides_the_cooldown(settled, hoods, district):
    factories.CityParticipationSettingsFactory(city=district.city, residency_cooldown_days=7)
    user_set_home(user=settled, neighborhood=hoods[1])  # ten days ago is past a week
    assert settled.home_neighborhood == hoods[1]
    settled.home_since = timezone.now() - dt.timedelta(days=3)
    settled.save()
    after = home_change_after(settled)
    assert after is not None and after.date() == (timezone.localdate() + dt.timedelta(days=4))


def test_no_cooldown_when_the_city_sets_none(settled, hoods, district):
    factories.CityParticipationSettingsFactory(city=district.city, residency_cooldown_days=0)
    user_set_home(user=settled, neighborhood=hoods[2])
    assert settled.home_neighborhood == hoods[2]


def test_after_the_cooldown_a_move_is_allowed_and_the_residency_is_declared_again(settled, hoods, district_staff):
    residency_mark_verified(actor=district_staff, user=settled, note="قبض آب دیده شد")
    settled.home_since = timezone.now() - dt.timedelta(days=91)
    settled.save()
    user_set_home(user=settled, neighborhood=hoods[2])
    settled.refresh_from_db()
    assert settled.home_neighborhood == hoods[2]
    assert settled.residency_status == ResidencyStatus.DECLARED and settled.residency_verified_at is None
    assert timezone.now() - settled.home_since < dt.timedelta(minutes=1)


def test_clearing_the_home_buys_no_early_move(settled, hoods):
    user_set_home(user=settled, neighborhood=None)
    settled.refresh_from_db()
    assert settled.home_neighborhood is None and settled.home_since is not None
    with pytest.raises(ValidationError):
        user_set_home(user=settled, neighborhood=hoods[2])


def test_staff_allow_one_early_move_on_record(settled, hoods, district_staff):
    residency_allow_early_move(actor=district_staff, user=settled, reason="جابه‌جایی به دلیل کار")
    entry = history(settled).get(action="user.early_move_allowed")
    assert (entry.actor, entry.note) == (district_staff, "جابه‌جایی به دلیل کار")
    assert home_change_after(settled) is None
    user_set_home(user=settled, neighborhood=hoods[2])
    settled.refresh_from_db()
    assert settled.home_neighborhood == hoods[2] and not settled.home_move_allowed
    assert history(settled).filter(action="user.home_changed").exists()
    with pytest.raises(ValidationError):  # used up
        user_set_home(user=settled, neighborhood=hoods[0])


def test_staff_decide_only_on_residents_of_their_districts(settled, other_district_staff, city_admin):
    with pytest.raises(PermissionDenied):
        residency_allow_early_move(actor=other_district_staff, user=settled, reason="x")
    with pytest.raises(PermissionDenied):
        residency_mark_verified(actor=other_district_staff, user=settled)
    residency_mark_verified(actor=city_admin, user=settled, note="سند اجاره")
    settled.refresh_from_db()
    assert settled.residency_status == ResidencyStatus.VERIFIED and settled.residency_verified_at
    assert history(settled).get(action="user.residency_verified").actor == city_admin
    homeless = factories.UserFactory()
    with pytest.raises(ValidationError):
        residency_allow_early_move(actor=city_admin, user=homeless, reason="x")


# --- the profile page -------------------------------------------------------------------
def _profile_post(client, user, hood):
    return client.post(
        "/accounts/profile/", {"display_name": "ساکن", "home_neighborhood": hood.pk if hood else ""}, follow=True
    )


def test_the_profile_page_shows_the_refusal_on_the_field(client_for, settled, hoods):
    client = client_for(settled)
    page = client.get("/accounts/profile/").content.decode()
    assert _expected_date(settled) in page  # "you can choose another home from …"
    response = _profile_post(client, settled, hoods[2])
    html = response.content.decode()
    assert COOLDOWN in html and _expected_date(settled) in html and "field-invalid" in html
    settled.refresh_from_db()
    assert settled.home_neighborhood == hoods[0] and settled.display_name != "ساکن"


def test_the_profile_page_sets_a_first_home(client_for, hoods):
    newcomer = factories.UserFactory()
    response = _profile_post(client_for(newcomer), newcomer, hoods[1])
    assert response.redirect_chain[-1][0] == "/accounts/profile/"
    newcomer.refresh_from_db()
    assert newcomer.home_neighborhood == hoods[1] and newcomer.home_since


# --- the admin: superusers edit accounts, district staff decide on residents ---------------
def test_the_user_admin_moves_a_home_through_the_same_rule(client_for, city_admin, settled, hoods):
    client = client_for(city_admin)
    url = f"/admin/accounts/user/{settled.pk}/change/"
    data = admin_form_data(client, url)
    data["home_neighborhood"] = str(hoods[2].pk)
    refused = client.post(url, data)
    assert refused.status_code == 200 and COOLDOWN in refused.content.decode()
    settled.refresh_from_db()
    assert settled.home_neighborhood == hoods[0]
    settled.home_since = timezone.now() - dt.timedelta(days=100)
    settled.save()
    assert client.post(url, data).status_code == 302
    settled.refresh_from_db()
    assert settled.home_neighborhood == hoods[2]
    assert history(settled).get(action="user.home_changed").actor == city_admin


def test_district_staff_see_their_residents_without_numbers_and_decide_with_a_reason(
    client_for, district_staff, settled, hoods
):
    outsider = factories.UserFactory(home_neighborhood=hoods[2], display_name="ساکن منطقهٔ دیگر")
    settled.display_name = "ساکن همین منطقه"
    settled.save()
    client = client_for(district_staff)
    listing = client.get("/admin/accounts/resident/").content.decode()
    assert "ساکن همین منطقه" in listing and "ساکن منطقهٔ دیگر" not in listing
    assert settled.phone not in listing and settled.phone_local not in listing
    detail = client.get(f"/admin/accounts/resident/{settled.pk}/change/").content.decode()
    assert settled.phone not in detail and settled.phone_local not in detail
    assert client.get(f"/admin/accounts/resident/{outsider.pk}/change/").status_code in (302, 403, 404)

    asked = client.post("/admin/accounts/resident/", {"action": "allow_early_move", "_selected_action": [settled.pk]})
    assert asked.status_code == 200 and 'name="note"' in asked.content.decode()  # the reason page
    settled.refresh_from_db()
    assert not settled.home_move_allowed
    done = client.post(
        "/admin/accounts/resident/",
        {"action": "allow_early_move", "_selected_action": [settled.pk], "apply": "1", "note": "اسباب‌کشی"},
    )
    assert done.status_code == 302
    settled.refresh_from_db()
    assert settled.home_move_allowed
    client.post(
        "/admin/accounts/resident/",
        {"action": "mark_residency_verified", "_selected_action": [settled.pk], "apply": "1", "note": "قبض برق"},
    )
    settled.refresh_from_db()
    assert settled.residency_status == ResidencyStatus.VERIFIED
    assert history(settled).get(action="user.residency_verified").note == "قبض برق"
