import pytest
from django.core import mail

from accounts.models import User
from tests.factories import HOSTILE, PASSWORD, UserFactory

SIGNUP = {
    "phone": "۰۹۳۵ ۱۲۳ ۴۵۶۷",
    "display_name": "مریم کاظمی",
    "email": "Maryam@Example.ORG",
    "password1": PASSWORD,
    "password2": PASSWORD,
}


@pytest.mark.django_db
def test_signup_with_persian_digits_stores_one_canonical_number_and_signs_in(client, committed, enter_code):
    response = committed(client.post, "/accounts/signup/", SIGNUP)
    assert response.status_code == 302 and response["Location"] == "/accounts/otp/verify/"
    assert not User.objects.exists()  # nothing exists until the code proves the number
    response = enter_code(client, "09351234567")
    assert response.status_code == 302
    user = User.objects.get()
    assert user.phone == "+989351234567"
    assert user.email == "maryam@example.org"
    assert user.national_code is None  # asked on the profile once the account exists, never held in the session
    assert user.role == "citizen"
    assert user.mobile_verified and user.check_password(PASSWORD)
    assert client.get("/accounts/profile/").status_code == 200


@pytest.mark.django_db
def test_signup_rejects_a_number_already_registered_under_another_spelling(client):
    UserFactory(phone="+989351234567")
    response = client.post("/accounts/signup/", SIGNUP)
    assert response.status_code == 200
    assert "حسابی با این شمارهٔ تلفن همراه وجود دارد" in response.content.decode()
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_signup_bad_input_keeps_the_form_and_shows_persian_field_errors(client):
    data = {**SIGNUP, "phone": "12345", "password2": "different"}
    response = client.post("/accounts/signup/", data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "شمارهٔ تلفن همراه معتبر" in html
    assert 'value="مریم کاظمی"' in html  # nothing the citizen typed is lost
    assert not User.objects.exists()


@pytest.mark.django_db
def test_signup_is_rate_limited_per_address(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (2, 3600)}
    for i in range(2):
        client.post("/accounts/signup/", {**SIGNUP, "phone": f"0935000000{i}", "email": ""})
        client.post("/accounts/logout/")
    response = client.post("/accounts/signup/", {**SIGNUP, "phone": "09350000009", "email": ""})
    assert response.status_code == 429
    assert "تعداد تلاش‌ها" in response.content.decode()
    assert not User.objects.exists()  # the first two wait for their codes


@pytest.mark.django_db
@pytest.mark.parametrize("login", ["09121112233", "+989121112233", "۰۹۱۲۱۱۱۲۲۳۳", "Person@Example.org"])
def test_login_by_any_spelling_of_the_number_or_by_email(client, login):
    UserFactory(phone="+989121112233", email="person@example.org")
    response = client.post("/accounts/login/", {"username": login, "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"


@pytest.mark.django_db
def test_wrong_password_gets_a_persian_error(client):
    UserFactory(phone="+989121112233")
    response = client.post("/accounts/login/", {"username": "09121112233", "password": "nope"})
    assert response.status_code == 200
    assert "مطابقت ندارد" in response.content.decode()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_across_number_spellings(client, settings):
    UserFactory(phone="+989121112233")
    spellings = ["09121112233", "+989121112233", "۰۹۱۲۱۱۱۲۲۳۳", "989121112233", "9121112233"]
    for spelling in spellings[: settings.AXES_FAILURE_LIMIT]:
        client.post("/accounts/login/", {"username": spelling, "password": "wrong"})
    # Even the right password is refused while locked out.
    response = client.post("/accounts/login/", {"username": "09121112233", "password": PASSWORD})
    assert response.status_code == 429
    assert "قفل" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_profile_shows_own_private_data_and_escapes_display_name(client_for):
    user = UserFactory(phone="+989121112233", national_code="0084575948")
    html = client_for(user).get("/accounts/profile/").content.decode()
    assert "۰۹۱۲۱۱۱۲۲۳۳" in html
    assert "<script>alert" not in html
    assert "&lt;script&gt;" in html
    assert HOSTILE not in html
    # The national code is on file, and the page does not show it, not even to its owner.
    assert "0084575948" not in html and "۰۰۸۴۵۷۵۹۴۸" not in html and "کد ملی شما ثبت شده" in html


@pytest.mark.django_db
def test_profile_edit_validates_national_code(client_for):
    user = UserFactory()
    client = client_for(user)
    response = client.post("/accounts/profile/", {"display_name": "نام تازه", "national_code": "1111111111"})
    assert response.status_code == 200
    user.refresh_from_db()
    assert user.national_code is None
    response = client.post("/accounts/profile/", {"display_name": "نام تازه", "national_code": "4608968882"})
    assert response.status_code == 302
    user.refresh_from_db()
    assert (user.display_name, user.national_code) == ("نام تازه", "4608968882")
    # The box is empty on the next visit; sending it empty keeps the code on file.
    assert "4608968882" not in client.get("/accounts/profile/").content.decode()
    assert client.post("/accounts/profile/", {"display_name": "نام تازه"}).status_code == 302
    user.refresh_from_db()
    assert user.national_code == "4608968882"


@pytest.mark.django_db
def test_profile_requires_sign_in(client):
    response = client.get("/accounts/profile/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_password_reset_sends_a_persian_email_with_a_working_link(client):
    UserFactory(email="person@example.org")
    response = client.post("/accounts/password/reset/", {"email": "person@example.org"})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "بازنشانی" in message.subject
    link = next(line for line in message.body.splitlines() if "/accounts/password/reset/" in line)
    path = link.split("testserver", 1)[1].strip()
    page = client.get(path, follow=True)
    assert page.status_code == 200
    assert 'name="new_password1"' in page.content.decode()


@pytest.mark.django_db
def test_password_change(client_for):
    user = UserFactory()
    client = client_for(user)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": PASSWORD, "new_password1": "another-Strong-1405", "new_password2": "another-Strong-1405"},
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password("another-Strong-1405")
