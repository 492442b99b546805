"""Role × action × kind: who may follow and stop following what, through the pages and the API.

Each action returns what happened: "ok" (done), "denied" (refused, nothing
changed: a 404 for what the caller may not see) or "login" (sent to sign in).
"""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from notifications.models import Subscription
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "citizen", "manager", "district_staff", "other_district_staff", "city_admin")
KINDS = ("project", "neighborhood", "district", "organization", "draft")
COLLECTIONS = {
    "project": "projects",
    "neighborhood": "neighborhoods",
    "district": "districts",
    "organization": "organizations",
    "draft": "organizations",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(db):
    return factories.UserFactory()


@pytest.fixture
def world(district, neighborhood, manager):
    return {
        "project": factories.ProjectFactory(district=district, neighborhoods=[neighborhood]),
        "neighborhood": neighborhood,
        "district": district,
        "organization": factories.VerifiedOrganizationFactory(city=district.city, districts=[district]),
        # a draft is seen by its managers and the staff whose districts it serves, nobody else
        "draft": factories.OrganizationFactory(city=district.city, districts=[district], managers=[manager]),
    }


def _page_kind(kind: str) -> str:
    return "organization" if kind == "draft" else kind


def _page_result(response, changed: bool) -> str:
    if response.status_code == 302 and "/login/" in response.get("Location", ""):
        return "login"
    return "ok" if changed else "denied"


def _api_result(response, changed: bool) -> str:
    if response.status_code in (401, 403) and response.wsgi_request.user.is_anonymous:
        return "login"
    return "ok" if changed else "denied"


def page_follow(client, user, target, kind):
    response = client.post(f"/follow/{_page_kind(kind)}/{target.pk}/", {"action": "follow"})
    return _page_result(response, Subscription.objects.exists())


def page_unfollow(client, user, target, kind):
    if user is not None:
        factories.SubscriptionFactory(user=user, target=target)
    response = client.post(f"/follow/{_page_kind(kind)}/{target.pk}/", {"action": "unfollow"})
    return _page_result(response, user is not None and not Subscription.objects.exists())


def api_follow(api, user, target, kind):
    response = api.post(f"/api/v1/{COLLECTIONS[kind]}/{target.pk}/follow/")
    return _api_result(response, Subscription.objects.exists())


def api_unfollow(api, user, target, kind):
    if user is not None:
        factories.SubscriptionFactory(user=user, target=target)
    response = api.delete(f"/api/v1/{COLLECTIONS[kind]}/{target.pk}/follow/")
    return _api_result(response, user is not None and not Subscription.objects.exists())


#         anonymous  citizen   manager  d.staff  other staff  city admin
PUBLIC = ("login", "ok", "ok", "ok", "ok", "ok")
DRAFT = ("login", "denied", "ok", "ok", "denied", "ok")
# Following needs sight of the object; stopping is open to whoever follows it (a profile suspended since).
EXPECTED = {
    (action, kind): DRAFT if kind == "draft" and action in (page_follow, api_follow) else PUBLIC
    for action in (page_follow, page_unfollow, api_follow, api_unfollow)
    for kind in KINDS
}
CASES = [(action, kind, role, row[i]) for (action, kind), row in EXPECTED.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(
    ("action", "kind", "role", "expected"), CASES, ids=[f"{a.__name__}-{k}-{r}" for a, k, r, _e in CASES]
)
def test_matrix(request, client, world, action, kind, role, expected):
    user = None if role == "anonymous" else request.getfixturevalue(role)
    if action.__name__.startswith("api_"):
        actor = APIClient()
        if user is not None:
            actor.force_authenticate(user)
    else:
        actor = client
        if user is not None:
            client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    assert action(actor, user, world[kind], kind) == expected


def test_who_does_not_follow_a_draft_cannot_learn_of_it_by_unfollowing(client, world, citizen):
    draft = world["draft"]
    client.force_login(citizen, backend="accounts.backends.PhoneOrEmailBackend")
    assert client.post(f"/follow/organization/{draft.pk}/", {"action": "unfollow"}).status_code == 404
    api = APIClient()
    api.force_authenticate(citizen)
    assert api.delete(f"/api/v1/organizations/{draft.pk}/follow/").status_code == 404
