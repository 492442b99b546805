"""API tokens: a new one per sign-in, stored as a digest, dead after a password change, idle time or sign-out."""

from __future__ import annotations

import hashlib
from datetime import timedelta

import pytest
from django.contrib.auth.tokens import default_token_generator
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from accounts.models import ApiToken
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db
NEW_PASSWORD = "Another-long-Passw0rd-9"
BACKEND = "accounts.backends.PhoneOrEmailBackend"


def _sign_in(user, **extra) -> dict:
    response = APIClient().post(
        "/api/v1/auth/token/", {"username": user.phone, "password": PASSWORD, **extra}, format="json", **{}
    )
    assert response.status_code == 200, response.content
    return response.json()


def _with(token: str) -> APIClient:
    return APIClient(HTTP_AUTHORIZATION=f"Token {token}")


def _works(token: str) -> bool:
    status = _with(token).get("/api/v1/me/").status_code
    assert status in (200, 401, 403)
    return status == 200


@pytest.fixture
def person():
    return UserFactory()


def test_every_sign_in_issues_a_new_token_named_after_the_device(person):
    first = _sign_in(person, name="Phone app")
    second = APIClient(HTTP_USER_AGENT="civic-cli/1.2").post(
        "/api/v1/auth/token/", {"username": person.phone, "password": PASSWORD}, format="json"
    )
    second = second.json()
    assert first["token"] != second["token"]
    assert _works(first["token"]) and _works(second["token"])
    assert sorted(ApiToken.objects.filter(user=person).values_list("name", flat=True)) == ["Phone app", "civic-cli/1.2"]


def test_only_a_digest_of_the_secret_is_stored(person):
    token = _sign_in(person)["token"]
    row = ApiToken.objects.get(user=person)
    stored = " ".join(str(value) for value in ApiToken.objects.filter(pk=row.pk).values().get().values())
    secret = token.split(".", 1)[1]
    assert token not in stored and secret not in stored
    assert row.digest == hashlib.sha256(secret.encode()).hexdigest()
    assert token.startswith(row.prefix + ".")
    # The right prefix with another secret is refused.
    assert not _works(f"{row.prefix}.{'x' * len(secret)}")


def _change_on_profile_page(person):
    client = APIClient()
    client.force_login(person, backend=BACKEND)
    response = client.post(
        reverse("accounts:password_change"),
        {"old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content


def _reset_by_link(person):
    client = APIClient()
    uid = urlsafe_base64_encode(force_bytes(person.pk))
    link = reverse("accounts:password_reset_confirm", args=[uid, default_token_generator.make_token(person)])
    form_url = client.get(link)["Location"]
    response = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert response.status_code == 302, response.content


def _set_in_admin(person):
    admin = UserFactory(role="city_admin", is_superuser=True)
    client = APIClient()
    client.force_login(admin, backend=BACKEND)
    response = client.post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"usable_password": "true", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302, response.content


@pytest.mark.parametrize("door", [_change_on_profile_page, _reset_by_link, _set_in_admin])
def test_a_password_change_through_any_door_kills_the_tokens(person, door):
    token = _sign_in(person)["token"]
    assert _works(token)
    door(person)
    assert not _works(token)
    assert not ApiToken.objects.filter(user=person).exists()


def test_a_token_idle_longer_than_the_setting_is_refused(person, settings):
    settings.API_TOKEN_IDLE_DAYS = 30
    token = _sign_in(person)["token"]
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(days=29))
    assert _works(token)
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(days=31))
    assert not _works(token)


def test_last_use_is_written_at_most_once_per_five_minutes(person):
    token = _sign_in(person)["token"]
    client = _with(token)

    def updates() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get("/api/v1/me/").status_code == 200
        return sum(1 for q in queries.captured_queries if q["sql"].startswith("UPDATE") and "apitoken" in q["sql"])

    assert updates() == 0  # just issued
    ApiToken.objects.update(last_used_at=timezone.now() - timedelta(minutes=6))
    assert updates() == 1
    assert [updates() for _ in range(3)] == [0, 0, 0]
    assert ApiToken.objects.get().last_used_at > timezone.now() - timedelta(minutes=1)


def test_the_list_shows_only_the_callers_tokens_with_jalali_dates(person):
    mine = [_sign_in(person, name=f"device {i}")["token"] for i in range(2)]
    _sign_in(UserFactory(), name="someone else")
    body = _with(mine[0]).get("/api/v1/me/tokens/").json()
    rows = body["results"]
    assert sorted(row["name"] for row in rows) == ["device 0", "device 1"]
    assert {"id", "name", "created_at", "created_at_jalali", "last_used_at", "last_used_at_jalali"} <= set(rows[0])
    assert all("token" not in row and "digest" not in row for row in rows)


def test_revoking_one_token_and_not_someone_elses(person):
    keep, drop = _sign_in(person)["token"], _sign_in(person)["token"]
    other = _sign_in(UserFactory())
    drop_id = ApiToken.objects.get(prefix=drop.split(".")[0]).pk
    other_id = ApiToken.objects.get(prefix=other["token"].split(".")[0]).pk
    assert _with(keep).delete(f"/api/v1/me/tokens/{other_id}/").status_code == 404
    assert _works(other["token"])
    assert _with(keep).delete(f"/api/v1/me/tokens/{drop_id}/").status_code == 204
    assert not _works(drop) and _works(keep)


def _session(person) -> APIClient:
    client = APIClient()
    client.force_login(person, backend=BACKEND)
    assert client.get("/api/v1/me/").status_code == 200
    return client


def test_sign_out_everywhere_in_the_api_ends_tokens_and_other_sessions(person):
    tokens = [_sign_in(person)["token"] for _ in range(2)]
    elsewhere = _session(person)
    others = _sign_in(UserFactory())["token"]
    response = _with(tokens[0]).post("/api/v1/me/tokens/revoke-all/")
    assert response.status_code == 200 and response.json() == {"revoked": 2}
    assert not any(_works(token) for token in tokens)
    assert elsewhere.get("/api/v1/me/").status_code == 403
    assert _works(others)


def test_sign_out_everywhere_on_the_profile_page_keeps_this_session(person):
    token = _sign_in(person)["token"]
    elsewhere, here = _session(person), _session(person)
    page = here.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:sign_out_everywhere") in page
    response = here.post(reverse("accounts:sign_out_everywhere"))
    assert response.status_code == 302
    assert not _works(token)
    assert elsewhere.get("/api/v1/me/").status_code == 403
    assert here.get("/api/v1/me/").status_code == 200
    assert "خارج" in here.get(reverse("accounts:profile")).content.decode()
