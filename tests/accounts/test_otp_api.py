"""Signing in by SMS code through the API: one use, five tries, a minute between codes, limits per number, address."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db.models import F
from django.utils import timezone

from accounts.models import ApiToken, OneTimeCode, User
from core.persian import to_persian_digits
from tests.factories import PASSWORD, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

MOBILE = "09121112233"
PHONE = "+989121112233"


@pytest.fixture
def ask(api_client, committed):
    def _ask(mobile: str = MOBILE, **extra):
        return committed(api_client.post, "/api/v1/auth/otp/", {"mobile": mobile}, format="json", **extra)

    return _ask


@pytest.fixture
def verify(api_client):
    def _verify(code: str, mobile: str = MOBILE):
        return api_client.post("/api/v1/auth/otp/verify/", {"mobile": mobile, "code": code}, format="json")

    return _verify


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


def age_codes(seconds: int) -> None:
    """Move every code ``seconds`` into the past, as if that much time went by."""
    shift = timedelta(seconds=seconds)
    OneTimeCode.objects.update(created_at=F("created_at") - shift, expires_at=F("expires_at") - shift)


def test_first_code_makes_a_verified_citizen_and_a_token_that_works(ask, verify, sms_files, api_client):
    response = ask("۰۹۱۲ ۱۱۱ ۲۲۳۳")
    assert response.status_code == 202
    assert set(response.json()) == {"detail", "expires_in"} and response.json()["expires_in"] == 120
    [sms] = sms_files.to(PHONE)
    response = verify(to_persian_digits(sms.code), "+989121112233")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["account_created"] is True and body["account_reclaimed"] is False
    user = User.objects.get(phone=PHONE)
    assert user.mobile_verified and user.role == "citizen" and not user.has_usable_password()
    assert user.display_name == "شهروند تازه"
    me = api_client.get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {body['token']}")
    assert me.status_code == 200 and me.json()["phone"] == PHONE


def test_a_code_works_once(ask, verify, sms_files):
    ask()
    code = sms_files.last_code(MOBILE, timeout=0)
    assert verify(code).status_code == 200
    again = verify(code)
    assert again.status_code == 400
    assert again.json()["code"] == "otp_invalid"
    assert ApiToken.objects.count() == 1


def test_wrong_codes_get_a_persian_400_and_the_sixth_try_is_refused_even_when_right(ask, verify, sms_files):
    ask()
    code = sms_files.last_code(MOBILE, timeout=0)
    for _ in range(5):
        response = verify(wrong(code))
        assert response.status_code == 400
        body = response.json()
        assert body["code"] == "otp_invalid" and body["errors"]["code"] == ["کد درست نیست."]
    sixth = verify(code)
    assert sixth.status_code == 429
    assert sixth.json()["code"] == "otp_attempts_exhausted"
    assert int(sixth["Retry-After"]) >= 1
    assert not User.objects.exists() and not ApiToken.objects.exists()


def test_expired_code_is_otp_expired(ask, verify, sms_files):
    ask()
    code = sms_files.last_code(MOBILE, timeout=0)
    age_codes(121)
    response = verify(code)
    assert response.status_code == 400
    assert response.json()["code"] == "otp_expired"
    assert "منقضی" in response.json()["detail"]


def test_asking_again_within_a_minute_is_429_with_retry_after(ask, sms_files):
    assert ask().status_code == 202
    again = ask("+989121112233")
    assert again.status_code == 429
    assert 55 <= int(again["Retry-After"]) <= 60
    assert again.json()["code"] == "throttled"
    assert len(sms_files.to(PHONE)) == 1
    age_codes(61)
    assert ask().status_code == 202
    assert len(sms_files.to(PHONE)) == 2


def test_a_number_gets_five_codes_an_hour(ask, sms_files):
    for _ in range(5):
        assert ask().status_code == 202
        age_codes(61)
    sixth = ask()
    assert sixth.status_code == 429
    # The oldest of the five left the hour 5 × 61 s ago; the wait is what remains of that hour.
    assert 3600 - 5 * 61 - 5 <= int(sixth["Retry-After"]) <= 3600 - 5 * 61 + 1
    assert len(sms_files.to(PHONE)) == 5
    # Once the first code is more than an hour old, the number may ask again.
    age_codes(3600)
    assert ask().status_code == 202


def test_an_address_gets_twenty_codes_an_hour(ask, sms_files):
    for i in range(20):
        assert ask(f"0935000{i:04d}", REMOTE_ADDR="10.1.2.3").status_code == 202
    refused = ask("09350009999", REMOTE_ADDR="10.1.2.3")
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert sms_files.to("09350009999") == []
    assert ask("09350009999", REMOTE_ADDR="10.1.2.4").status_code == 202


def test_limits_are_settings(ask, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "otp_address": (1, 3600)}
    assert ask("09350000001").status_code == 202
    assert ask("09350000002").status_code == 429


def test_bad_input_is_400_with_field_errors(api_client, verify):
    response = api_client.post("/api/v1/auth/otp/", {"mobile": "12345"}, format="json")
    assert response.status_code == 400 and "mobile" in response.json()["errors"]
    response = api_client.post("/api/v1/auth/otp/verify/", {"mobile": MOBILE}, format="json")
    assert response.status_code == 400 and "code" in response.json()["errors"]
    assert verify("123456").status_code == 400  # no code was ever sent


def test_a_verified_account_keeps_everything_when_signing_in_by_code(ask, verify, sms_files):
    user = UserFactory(phone=PHONE, email="owner@example.org", mobile_verified_at=timezone.now())
    ask()
    response = verify(sms_files.last_code(MOBILE, timeout=0))
    assert response.status_code == 200
    assert response.json()["account_created"] is False and response.json()["account_reclaimed"] is False
    user.refresh_from_db()
    assert user.email == "owner@example.org" and user.check_password(PASSWORD)


def test_staff_get_no_token_by_code_alone(ask, verify, sms_files):
    StaffFactory(phone=PHONE, mobile_verified_at=timezone.now())
    assert ask().status_code == 202  # the answer looks like any other ...
    assert sms_files.to(PHONE) == []  # ... but the staff member's SIM alone opens nothing
    [row] = OneTimeCode.objects.all()
    assert verify("123456").status_code in (400, 403)
    assert not ApiToken.objects.exists()
    assert row.used_at is None


class TestStaffTokens:
    """The token endpoint: a staff password alone is not enough, the SMS code completes it."""

    def token(self, api_client, user, **extra):
        data = {"username": user.phone, "password": PASSWORD, **extra}
        return api_client.post("/api/v1/auth/token/", data, format="json")

    def test_password_then_code(self, api_client, committed, sms_files):
        staff = StaffFactory()
        first = committed(self.token, api_client, staff)
        assert first.status_code == 202
        assert "token" not in first.json() and first.json()["expires_in"] > 0
        code = sms_files.last_code(staff.phone, timeout=0)
        # Submitting the password again while the code is alive sends no second SMS.
        assert committed(self.token, api_client, staff).status_code == 202
        assert len(sms_files.to(staff.phone)) == 1
        bad = self.token(api_client, staff, code=wrong(code))
        assert bad.status_code == 400 and bad.json()["errors"]["code"]
        good = self.token(api_client, staff, code=to_persian_digits(code))
        assert good.status_code == 200 and good.json()["token"]
        staff.refresh_from_db()
        assert staff.mobile_verified
        assert self.token(api_client, staff, code=code).status_code == 400  # once only

    def test_wrong_password_sends_nothing(self, api_client, committed, sms_files):
        staff = StaffFactory()
        response = committed(api_client.post, "/api/v1/auth/token/", {"username": staff.phone, "password": "x"})
        assert response.status_code == 400
        assert sms_files.messages() == []

    def test_citizens_still_get_a_token_by_password(self, api_client):
        response = self.token(api_client, UserFactory())
        assert response.status_code == 200 and response.json()["token"]


def test_codes_older_than_a_day_are_deleted(ask):
    from accounts.tasks import delete_old_codes

    ask()
    age_codes(23 * 3600)
    assert delete_old_codes() == 0
    age_codes(2 * 3600)
    assert delete_old_codes() == 1 and not OneTimeCode.objects.exists()
