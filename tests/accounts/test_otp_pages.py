"""The code pages without JavaScript: sign-in by code, confirming a number, reset, a new number, staff, reclaiming."""

from __future__ import annotations

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.messages import get_messages
from django.core import mail
from django.test import Client
from django.utils import timezone

from accounts.models import ApiToken, OneTimeCode, User
from accounts.services import api_token_issue
from core.persian import to_persian_digits
from tests.factories import PASSWORD, CityAdminFactory, StaffFactory, UserFactory

pytestmark = pytest.mark.django_db

PHONE = "+989121112233"
NEW_PASSWORD = "another-Strong-1405"


def said(response) -> str:
    """The messages a redirect left for the next page."""
    return " ".join(str(message) for message in get_messages(response.wsgi_request))


def signed_in_as(client) -> int | None:
    user_id = client.session.get("_auth_user_id")
    return int(user_id) if user_id else None


def wrong(code: str) -> str:
    return f"{(int(code) + 1) % 10**6:06d}"


class TestSignInByCode:
    def test_first_time_makes_an_account_and_comes_back_to_next(self, client, committed, enter_code, sms_files):
        page = client.get("/accounts/otp/?next=/projects/7/")
        assert page.status_code == 200 and 'name="mobile"' in page.content.decode()
        response = committed(client.post, "/accounts/otp/", {"mobile": "۰۹۱۲ ۱۱۱ ۲۲۳۳", "next": "/projects/7/"})
        assert response["Location"] == "/accounts/otp/verify/"
        page = client.get("/accounts/otp/verify/").content.decode()
        assert "۰۹۱۲***۲۲۳۳" in page and 'autocomplete="one-time-code"' in page and 'dir="rtl"' in page
        response = enter_code(client, PHONE)  # typed in Persian digits
        assert response.status_code == 302 and response["Location"] == "/projects/7/"
        user = User.objects.get(phone=PHONE)
        assert signed_in_as(client) == user.pk
        assert user.mobile_verified and not user.has_usable_password()
        assert "حساب شما ساخته شد" in said(response)
        # The account is usable: it chooses a password without an old one, and signs in with it.
        response = client.post(
            "/accounts/password/change/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert response.status_code == 302
        assert Client().post("/accounts/login/", {"username": PHONE, "password": NEW_PASSWORD}).status_code == 302

    @pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/"])
    def test_next_to_another_site_is_dropped(self, client, committed, enter_code, target):
        committed(client.post, "/accounts/otp/", {"mobile": "09121112233", "next": target})
        assert enter_code(client, PHONE)["Location"] == "/accounts/profile/"

    def test_wrong_code_then_right_one(self, client, committed, enter_code, sms_files):
        committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        code = sms_files.last_code(PHONE, timeout=0)
        response = client.post("/accounts/otp/verify/", {"code": wrong(code)})
        assert response.status_code == 200 and "کد درست نیست" in response.content.decode()
        response = client.post("/accounts/otp/verify/", {"code": "۱۲۳"})
        assert "کد ۶ رقمی" in response.content.decode()
        assert client.post("/accounts/otp/verify/", {"code": code}).status_code == 302

    def test_sixth_guess_is_refused_even_when_right_and_the_page_never_shows_it(self, client, committed, sms_files):
        committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        code = sms_files.last_code(PHONE, timeout=0)
        for _ in range(5):
            client.post("/accounts/otp/verify/", {"code": wrong(code)})
        response = client.post("/accounts/otp/verify/", {"code": code})
        assert response.status_code == 429 and int(response["Retry-After"]) >= 1
        html = response.content.decode()
        assert "کد نادرست بیش از حد مجاز" in html
        assert code not in html and to_persian_digits(code) not in html
        assert signed_in_as(client) is None and not User.objects.exists()

    def test_expired_code(self, client, committed, sms_files):
        committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        code = sms_files.last_code(PHONE, timeout=0)
        OneTimeCode.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
        response = client.post("/accounts/otp/verify/", {"code": code})
        assert response.status_code == 200 and "منقضی" in response.content.decode()

    def test_asking_again_too_soon_says_when(self, client, committed, sms_files):
        committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        response = committed(client.post, "/accounts/otp/verify/", {"resend": "1"})
        assert response.status_code == 429 and 55 <= int(response["Retry-After"]) <= 60
        assert "کمی صبر کنید" in response.content.decode()
        again = committed(Client().post, "/accounts/otp/", {"mobile": "09121112233"})
        assert again.status_code == 429
        OneTimeCode.objects.update(created_at=timezone.now() - timedelta(seconds=61))
        response = committed(client.post, "/accounts/otp/verify/", {"resend": "1"})
        assert response.status_code == 302
        assert len(sms_files.to(PHONE)) == 2
        # Only the newest code counts.
        assert client.post("/accounts/otp/verify/", {"code": sms_files.to(PHONE)[0].code}).status_code == 200
        assert client.post("/accounts/otp/verify/", {"code": sms_files.to(PHONE)[1].code}).status_code == 302

    def test_a_verified_account_keeps_everything(self, client, committed, enter_code):
        user = UserFactory(phone=PHONE, email="owner@example.org", mobile_verified_at=timezone.now())
        token, _key = api_token_issue(user=user)
        committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        response = enter_code(client, PHONE)
        assert signed_in_as(client) == user.pk and "وارد شدید" in said(response)
        user.refresh_from_db()
        assert user.email == "owner@example.org" and user.check_password(PASSWORD)
        assert ApiToken.objects.filter(pk=token.pk).exists()

    def test_code_clears_a_lockout_a_stranger_caused(self, client, committed, enter_code, settings):
        user = UserFactory(phone=PHONE, mobile_verified_at=timezone.now())
        for _ in range(settings.AXES_FAILURE_LIMIT):
            Client().post("/accounts/login/", {"username": "09121112233", "password": "guess"})
        locked = Client().post("/accounts/login/", {"username": "09121112233", "password": PASSWORD})
        assert locked.status_code == 429
        committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        enter_code(client, PHONE)
        assert signed_in_as(client) == user.pk
        assert not AccessAttempt.objects.filter(username=PHONE).exists()
        assert Client().post("/accounts/login/", {"username": "09121112233", "password": PASSWORD}).status_code == 302


class TestReclaimingAnInventedNumber:
    """Someone signed up with a number they do not own; the SIM's owner proves it and gets the account."""

    def test_the_person_with_the_sim_gets_the_account_and_the_inventor_is_out(self, client, committed, enter_code):
        inventor = UserFactory(phone=PHONE, email="inventor@example.org", unverified=True)
        _token, key = api_token_issue(user=inventor)
        inventor_browser = Client()
        inventor_browser.force_login(inventor, backend="accounts.backends.PhoneOrEmailBackend")
        assert inventor_browser.get("/accounts/profile/").status_code == 200

        committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        response = enter_code(client, PHONE)
        assert response.status_code == 302
        message = said(response)
        assert "شماره‌اش هرگز تأیید نشده بود" in message and "رمز عبور و ایمیل آن حذف شد" in message
        assert signed_in_as(client) == inventor.pk

        account = User.objects.get(pk=inventor.pk)
        assert account.mobile_verified and account.email is None and not account.has_usable_password()
        # The inventor's session, token, password and email reset all stopped working.
        assert inventor_browser.get("/accounts/profile/").status_code == 302
        assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 403
        assert Client().post("/accounts/login/", {"username": PHONE, "password": PASSWORD}).status_code == 200
        Client().post("/accounts/password/reset/", {"email": "inventor@example.org"})
        assert mail.outbox == []
        # ... while the new owner stays signed in.
        assert client.get("/accounts/profile/").status_code == 200


class TestSignedInCitizenConfirmsTheirNumber:
    def test_code_goes_to_their_own_number_and_they_come_back_verified(self, client_for, committed, enter_code):
        citizen = UserFactory(phone=PHONE, email="c@example.org", unverified=True)
        client = client_for(citizen)
        page = client.get("/accounts/otp/?next=/projects/5/").content.decode()
        assert 'name="mobile"' not in page and "۰۹۱۲***۲۲۳۳" in page
        response = committed(client.post, "/accounts/otp/", {"next": "/projects/5/"})
        assert response["Location"] == "/accounts/otp/verify/"
        response = enter_code(client, PHONE)
        assert response["Location"] == "/projects/5/"
        citizen.refresh_from_db()
        # Their own proof: nothing is taken away.
        assert citizen.mobile_verified and citizen.email == "c@example.org" and citizen.check_password(PASSWORD)
        assert client.get("/accounts/otp/?next=/projects/5/")["Location"] == "/projects/5/"


class TestSignUp:
    def test_the_number_taken_meanwhile_is_refused_at_the_code(self, client, committed, enter_code):
        form = {"phone": "09121112233", "display_name": "مریم", "password1": PASSWORD, "password2": PASSWORD}
        committed(client.post, "/accounts/signup/", form)
        UserFactory(phone=PHONE)
        response = enter_code(client, PHONE)
        assert response.status_code == 200 and "حسابی با این شمارهٔ تلفن همراه وجود دارد" in response.content.decode()
        assert User.objects.count() == 1 and signed_in_as(client) is None

    def test_no_password_is_kept_in_the_session_only_its_hash(self, client, committed):
        form = {"phone": "09121112233", "display_name": "مریم", "password1": PASSWORD, "password2": PASSWORD}
        committed(client.post, "/accounts/signup/", form)
        stored = str(dict(client.session.items()))
        assert PASSWORD not in stored and "pbkdf2_sha256$" in stored


class TestPasswordResetBySms:
    def test_code_then_new_password_ends_sessions_and_tokens(self, client, committed, enter_code, sms_files):
        user = UserFactory(phone=PHONE, mobile_verified_at=timezone.now())
        _token, key = api_token_issue(user=user)
        other = Client()
        other.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
        page = client.get("/accounts/password/reset/").content.decode()
        assert "ایمیل یا شمارهٔ تلفن همراه" in page
        response = committed(client.post, "/accounts/password/reset/", {"email": "۰۹۱۲۱۱۱۲۲۳۳"})
        assert response["Location"] == "/accounts/otp/verify/"
        assert "بازیابی رمز عبور" in sms_files.to(PHONE)[-1].text
        response = enter_code(client, PHONE)
        assert response["Location"] == "/accounts/password/reset/code/"
        response = client.post(
            "/accounts/password/reset/code/", {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}
        )
        assert response["Location"] == "/accounts/password/reset/complete/"
        user.refresh_from_db()
        assert user.check_password(NEW_PASSWORD)
        assert other.get("/accounts/profile/").status_code == 302
        assert Client().get("/api/v1/me/", HTTP_AUTHORIZATION=f"Token {key}").status_code == 403
        # The proof is spent.
        assert client.get("/accounts/password/reset/code/")["Location"] == "/accounts/password/reset/"

    @pytest.mark.parametrize("who", ["nobody", "staff"])
    def test_numbers_that_cannot_be_reset_by_sms_get_nothing_and_look_the_same(self, client, committed, who, sms_files):
        if who == "staff":
            StaffFactory(phone=PHONE)
        response = committed(client.post, "/accounts/password/reset/", {"email": "09121112233"})
        assert response["Location"] == "/accounts/otp/verify/"
        assert sms_files.messages() == []

    def test_the_email_path_still_sends_a_link(self, client):
        UserFactory(email="person@example.org")
        response = client.post("/accounts/password/reset/", {"email": "person@example.org"})
        assert response["Location"] == "/accounts/password/reset/sent/"
        assert len(mail.outbox) == 1

    def test_neither_email_nor_number_is_a_form_error(self, client):
        response = client.post("/accounts/password/reset/", {"email": "hello"})
        assert response.status_code == 200 and "ایمیل یا شمارهٔ تلفن همراه خود را وارد کنید" in response.content.decode()


class TestChangingTheNumber:
    def test_the_new_number_is_used_only_after_its_code(self, client_for, committed, sms_files, enter_code):
        user = UserFactory(phone=PHONE, mobile_verified_at=timezone.now())
        client = client_for(user)
        assert "تغییر شمارهٔ تلفن همراه" in client.get("/accounts/profile/").content.decode()
        response = committed(client.post, "/accounts/profile/number/", {"mobile": "۰۹۳۵ ۱۱۱ ۲۲۳۳"})
        assert response["Location"] == "/accounts/otp/verify/"
        user.refresh_from_db()
        assert user.phone == PHONE  # not yet
        assert sms_files.to(PHONE) == [] and len(sms_files.to("09351112233")) == 1
        response = enter_code(client, "09351112233")
        assert response["Location"] == "/accounts/profile/"
        user.refresh_from_db()
        assert user.phone == "+989351112233" and user.mobile_verified
        assert client.get("/accounts/profile/").status_code == 200  # still signed in

    def test_a_number_of_another_account_is_refused(self, client_for):
        UserFactory(phone="+989351112233")
        client = client_for(UserFactory(phone=PHONE))
        response = client.post("/accounts/profile/number/", {"mobile": "09351112233"})
        assert response.status_code == 200 and "حسابی با این شمارهٔ تلفن همراه وجود دارد" in response.content.decode()


class TestStaffNeedTheCode:
    @pytest.mark.parametrize("factory", [StaffFactory, CityAdminFactory])
    def test_page_login_password_alone_does_not_sign_in(self, client, committed, enter_code, factory, sms_files):
        staff = factory(phone=PHONE)
        response = committed(client.post, "/accounts/login/", {"username": "09121112233", "password": PASSWORD})
        assert response["Location"] == "/accounts/otp/verify/"
        assert signed_in_as(client) is None
        assert client.get("/admin/")["Location"].startswith("/admin/login/")
        assert "کد ورود کارشناسان شهرداری" in sms_files.to(PHONE)[0].text
        response = enter_code(client, PHONE)
        assert response["Location"] == "/accounts/profile/"
        assert signed_in_as(client) == staff.pk

    def test_admin_login_needs_the_code(self, client, committed, enter_code):
        staff = StaffFactory(phone=PHONE)
        form = {"username": "09121112233", "password": PASSWORD, "next": "/admin/"}
        response = committed(client.post, "/admin/login/?next=/admin/", form)
        assert response["Location"] == "/accounts/otp/verify/"
        assert client.get("/admin/").status_code == 302
        response = enter_code(client, PHONE)
        assert response["Location"] == "/admin/"
        assert signed_in_as(client) == staff.pk and client.get("/admin/").status_code == 200

    def test_wrong_admin_password_still_shows_the_admin_form(self, client):
        StaffFactory(phone=PHONE)
        response = client.post("/admin/login/", {"username": "09121112233", "password": "wrong"})
        assert response.status_code == 200 and 'id="login-form"' in response.content.decode()

    def test_staff_cannot_sign_in_by_code_alone(self, client, committed, sms_files):
        StaffFactory(phone=PHONE)
        response = committed(client.post, "/accounts/otp/", {"mobile": "09121112233"})
        assert response["Location"] == "/accounts/otp/verify/"
        assert sms_files.messages() == []
        client.post("/accounts/otp/verify/", {"code": "123456"})
        assert signed_in_as(client) is None

    def test_citizens_still_sign_in_by_password_alone(self, client, sms_files):
        UserFactory(phone=PHONE)
        response = client.post("/accounts/login/", {"username": "09121112233", "password": PASSWORD})
        assert response["Location"] == "/accounts/profile/"
        assert sms_files.messages() == []
