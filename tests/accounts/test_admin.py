"""Accounts, groups, API tokens and lockouts in the admin: superusers only, every change through a service."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.utils import timezone

from accounts.models import ApiToken
from accounts.services import api_token_issue
from core.audit import history
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.mark.parametrize(
    "url", ["/admin/accounts/user/", "/admin/auth/group/", "/admin/accounts/apitoken/", "/admin/axes/accessattempt/"]
)
def test_staff_who_are_not_superusers_cannot_open_account_pages(client_for, district_staff, city_admin, url):
    assert client_for(district_staff).get(url).status_code == 403
    assert client_for(city_admin).get(url).status_code == 200


def test_the_password_page_sets_the_password_through_the_service(client_for, city_admin):
    person = factories.UserFactory()
    response = client_for(city_admin).post(
        f"/admin/accounts/user/{person.pk}/password/",
        {"usable_password": "true", "password1": "Sabz-Kooh-1404!", "password2": "Sabz-Kooh-1404!"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    person.refresh_from_db()
    assert person.check_password("Sabz-Kooh-1404!")


def test_deleting_an_account_keeps_who_it_was_on_record(client_for, city_admin):
    staff = factories.StaffFactory()
    response = client_for(city_admin).post(f"/admin/accounts/user/{staff.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not type(staff).objects.filter(pk=staff.pk).exists()
    entry = history(staff).get()
    assert (entry.action, entry.actor, entry.changes["access"]["role"]) == ("user.deleted", city_admin, staff.role)


def test_a_token_revoked_in_the_admin_is_on_record_and_none_is_made_there(client_for, city_admin):
    person = factories.UserFactory()
    token, _key = api_token_issue(user=person, name="laptop")
    client = client_for(city_admin)
    assert client.get("/admin/accounts/apitoken/add/").status_code == 403
    page = client.get(f"/admin/accounts/apitoken/{token.pk}/change/").content.decode()
    assert token.digest not in page
    response = client.post(f"/admin/accounts/apitoken/{token.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not ApiToken.objects.filter(user=person).exists()
    assert [(e.action, e.actor) for e in history(person)] == [
        ("api_token.issued", person),
        ("api_token.revoked", city_admin),
    ]


def test_a_group_saved_in_the_admin_is_cleaned_and_on_record(client_for, city_admin):
    permission = Permission.objects.get(codename="view_project")
    response = client_for(city_admin).post(
        "/admin/auth/group/add/", {"name": "ناظران \u202eپروژه", "permissions": [permission.pk]}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    group = Group.objects.get()
    assert group.name == "ناظران پروژه" and list(group.permissions.all()) == [permission]
    entry = history(group).get()
    assert entry.action == "group.created"
    assert entry.changes == {"name": ["", "ناظران پروژه"], "permissions": [[], [permission.pk]]}


def test_lifting_a_lockout_in_the_admin_is_on_record(client_for, city_admin):
    attempt = AccessAttempt.objects.create(
        username="+989120000000", ip_address="10.0.0.1", user_agent="x", failures_since_start=5,
        attempt_time=timezone.now(), get_data="", post_data="", http_accept="", path_info="/accounts/login/",
    )  # fmt: skip
    response = client_for(city_admin).post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
    entry = history(attempt).get()
    assert (entry.action, entry.actor, entry.note) == ("lockout.cleared", city_admin, "+989120000000")
