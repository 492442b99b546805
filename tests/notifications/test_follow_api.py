"""POST and DELETE /api/v1/{projects,neighborhoods,organizations,districts}/<id>/follow/."""

from __future__ import annotations

import pytest
from rest_framework.test import APIClient

from notifications.models import Subscription
from notifications.services import is_subscribed
from tests import factories

pytestmark = pytest.mark.django_db

COLLECTIONS = {
    "project": "projects",
    "neighborhood": "neighborhoods",
    "district": "districts",
    "organization": "organizations",
}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def targets(district, neighborhood):
    return {
        "project": factories.ProjectFactory(district=district, neighborhoods=[neighborhood]),
        "neighborhood": neighborhood,
        "district": district,
        "organization": factories.VerifiedOrganizationFactory(city=district.city, districts=[district]),
    }


def _url(kind: str, pk) -> str:
    return f"/api/v1/{COLLECTIONS[kind]}/{pk}/follow/"


@pytest.mark.parametrize("kind", COLLECTIONS)
def test_follow_then_again_then_stop(api_client, targets, citizen, kind):
    target = targets[kind]
    api_client.force_authenticate(citizen)
    first = api_client.post(_url(kind, target.pk))
    assert (first.status_code, first.json()) == (201, {"following": True})
    again = api_client.post(_url(kind, target.pk))
    assert (again.status_code, again.json()) == (200, {"following": True})
    assert is_subscribed(user=citizen, target=target)
    gone = api_client.delete(_url(kind, target.pk))
    assert (gone.status_code, gone.json()) == (200, {"following": False})
    assert not is_subscribed(user=citizen, target=target)
    gone_again = api_client.delete(_url(kind, target.pk))
    assert (gone_again.status_code, gone_again.json()) == (200, {"following": False})


@pytest.mark.parametrize("kind", COLLECTIONS)
def test_unknown_id_is_a_json_404(api_client, citizen, kind):
    api_client.force_authenticate(citizen)
    for method in ("post", "delete"):
        response = getattr(api_client, method)(_url(kind, 999_999))
        assert response.status_code == 404 and response.json()["code"] == "not_found"


@pytest.mark.parametrize("kind", COLLECTIONS)
def test_visitors_are_refused(api_client, targets, kind):
    for method in ("post", "delete"):
        response = getattr(api_client, method)(_url(kind, targets[kind].pk))
        assert response.status_code in (401, 403) and response.json()["code"] == "not_authenticated"
    with_bad_token = APIClient(HTTP_AUTHORIZATION="Token not-a-token")
    response = with_bad_token.post(_url(kind, targets[kind].pk))
    assert response.status_code in (401, 403) and response.json()["code"] == "authentication_failed"
    assert not Subscription.objects.exists()


def test_a_token_signs_the_caller_in(targets, citizen):
    from accounts.services import api_token_issue

    _token, key = api_token_issue(user=citizen)
    client = APIClient(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.post(_url("district", targets["district"].pk)).status_code == 201


def test_a_draft_organisation_is_a_404_for_others_and_followable_by_its_manager(api_client, district, citizen):
    manager = factories.UserFactory()
    draft = factories.OrganizationFactory(city=district.city, districts=[district], managers=[manager])
    api_client.force_authenticate(citizen)
    assert api_client.post(_url("organization", draft.pk)).status_code == 404
    api_client.force_authenticate(manager)
    assert api_client.post(_url("organization", draft.pk)).status_code == 201


@pytest.mark.parametrize("kind", COLLECTIONS)
def test_follows_share_the_per_user_limit_of_the_button(api_client, targets, citizen, settings, kind):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_follow": (2, 600)}
    api_client.force_authenticate(citizen)
    codes = [api_client.post(_url(kind, targets[kind].pk)).status_code for _ in range(3)]
    assert codes == [201, 200, 429]
    assert api_client.delete(_url(kind, targets[kind].pk)).status_code == 429
    assert is_subscribed(user=citizen, target=targets[kind])


def test_the_schema_documents_each_follow_endpoint(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    for collection in COLLECTIONS.values():
        path = schema["paths"][f"/api/v1/{collection}/{{id}}/follow/"]
        for method in ("post", "delete"):
            responses = path[method]["responses"]
            assert {"200", "401", "403", "404", "429"} <= set(responses), (collection, method)
            body = responses["200"]["content"]["application/json"]["schema"]
            assert body == {"$ref": "#/components/schemas/FollowState"}
        assert "201" in path["post"]["responses"]
    assert schema["components"]["schemas"]["FollowState"]["properties"] == {"following": {"type": "boolean"}}


def test_the_list_tells_a_signed_in_caller_what_they_follow(api_client, targets, citizen):
    other = factories.ProjectFactory(district=targets["district"])
    api_client.force_authenticate(citizen)
    api_client.post(_url("project", targets["project"].pk))
    rows = {row["id"]: row["viewer_follows"] for row in api_client.get("/api/v1/projects/").json()["results"]}
    assert rows == {targets["project"].pk: True, other.pk: False}
