"""Signing up from a page brings the visitor back to that page, never to another site."""

import pytest

from accounts.models import User
from tests.factories import PASSWORD

SIGNUP = {
    "phone": "۰۹۱۲۳۴۵۶۷۸۹",
    "display_name": "مریم رضایی",
    "password1": PASSWORD,
    "password2": PASSWORD,
}

pytestmark = pytest.mark.django_db


def test_the_login_page_passes_its_next_page_on_to_sign_up(client):
    page = client.get("/accounts/login/?next=/projects/7/%23comments").content.decode()
    assert 'href="/accounts/signup/?next=/projects/7/%23comments"' in page


def test_sign_up_keeps_the_next_page_in_its_form_and_returns_there(client, committed, enter_code):
    page = client.get("/accounts/signup/?next=/projects/7/%23comments").content.decode()
    assert '<input type="hidden" name="next" value="/projects/7/#comments">' in page
    assert 'href="/accounts/login/?next=/projects/7/%23comments"' in page

    response = committed(client.post, "/accounts/signup/", {**SIGNUP, "next": "/projects/7/#comments"})
    assert response.status_code == 302
    assert response["Location"] == "/accounts/otp/verify/"
    response = enter_code(client, SIGNUP["phone"])
    assert response.status_code == 302
    assert response["Location"] == "/projects/7/#comments"
    assert User.objects.get().phone == "+989123456789"


def test_a_form_error_keeps_the_next_page(client):
    response = client.post("/accounts/signup/", {**SIGNUP, "password2": "other", "next": "/projects/7/"})
    assert response.status_code == 200
    assert '<input type="hidden" name="next" value="/projects/7/">' in response.content.decode()


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example/projects/", "javascript:alert(1)"])
def test_sign_up_never_sends_anyone_to_another_site(client, target, committed, enter_code):
    committed(client.post, "/accounts/signup/", {**SIGNUP, "next": target})
    response = enter_code(client, SIGNUP["phone"])
    assert response.status_code == 302
    assert response["Location"] == "/accounts/profile/"


def test_without_a_next_page_sign_up_opens_the_profile(client, committed, enter_code):
    committed(client.post, "/accounts/signup/", SIGNUP)
    response = enter_code(client, SIGNUP["phone"])
    assert response["Location"] == "/accounts/profile/"
