"""Regressions for what the schema fuzzing found: 500s, HTML answers under /api/, schema mismatches."""

import pytest

from tests.factories import UserFactory, VerifiedOrganizationFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "/api/v1/need-reports/null,null/history/"),
        ("get", "/api/v1/projects/abc/comments/"),
        ("post", "/api/v1/projects/abc/support/"),
        ("post", "/api/v1/projects/abc/follow/"),
        ("post", "/api/v1/projects/abc/comments/1/flag/"),
    ],
)
def test_a_non_numeric_id_is_a_json_404_not_a_server_error(api_client, citizen, method, path):
    api_client.force_authenticate(citizen)
    response = getattr(api_client, method)(path, {}, format="json")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert response.json()["code"] == "not_found"


def test_an_unknown_api_url_answers_json_and_pages_keep_html(client):
    api = client.get("/api/v1/applications/0.5/accept/")
    assert api.status_code == 404
    assert api["Content-Type"].startswith("application/json")
    assert api.json() == {"detail": "یافت نشد.", "code": "not_found"}
    page = client.get("/no-such-page/")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")


def test_an_id_beyond_the_database_range_is_a_404(api_client):
    response = api_client.get("/api/v1/projects/99999999999999999999/")
    assert response.status_code == 404
    assert response.json()["code"] == "not_found"


def test_a_locked_account_gets_the_api_error_format_from_the_token_endpoint(api_client, settings):
    UserFactory(phone="+989121112299")
    wrong = {"username": "09121112299", "password": "not-the-password"}
    statuses = [api_client.post("/api/v1/auth/token/", wrong, format="json").status_code for _ in range(6)]
    assert statuses[: settings.AXES_FAILURE_LIMIT - 1] == [400] * (settings.AXES_FAILURE_LIMIT - 1)
    locked = api_client.post("/api/v1/auth/token/", wrong, format="json")
    assert locked.status_code == 429
    assert locked["Content-Type"] == "application/json"
    assert locked.json()["code"] == "locked_out"
    assert "قفل" in locked.json()["detail"]


def test_the_sign_in_page_still_shows_the_lockout_page(client, settings):
    UserFactory(phone="+989121112298")
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        response = client.post("/accounts/login/", {"username": "09121112298", "password": "wrong"})
    assert response.status_code == 429
    assert response["Content-Type"].startswith("text/html")
    assert "قفل" in response.content.decode()


@pytest.mark.parametrize("page_size", ["abc", "0", "-3", "2.5"])
def test_a_page_size_that_is_not_a_positive_whole_number_is_a_400(api_client, page_size):
    response = api_client.get("/api/v1/cities/", {"page_size": page_size})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert list(response.json()["errors"]) == ["page_size"]


def test_the_schema_says_which_fields_may_be_null_and_which_lists_are_not_paged(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    assert components["Meeting"]["properties"]["minutes_published_at_jalali"]["nullable"] is True
    assert components["NeedReport"]["properties"]["photo"]["nullable"] is True
    assert "nullable" not in components["Meeting"]["properties"]["starts_at_jalali"]
    for path in ("/api/v1/organizations/{id}/history/", "/api/v1/organizations/{id}/managers/"):
        operation = schema["paths"][path]["get"]
        assert operation["responses"]["200"]["content"]["application/json"]["schema"]["type"] == "array"
        assert not [p for p in operation.get("parameters", []) if p["in"] == "query"]


def test_every_operation_documents_the_errors_the_framework_can_answer(client):
    schema = client.get("/api/schema/?format=json").json()
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            codes = set(operation["responses"])
            assert "429" in codes, (method, path)
            if "{" in path:
                assert "404" in codes, (method, path)
            if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
                assert operation["responses"]["400"]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/ValidationError"
                }, (method, path)


def test_options_on_the_notification_preferences_is_a_405_not_a_server_error(api_client, citizen):
    api_client.force_authenticate(citizen)
    response = api_client.options("/api/v1/notifications/preferences/")
    assert response.status_code == 405
    assert response.json()["code"] == "method_not_allowed"
    assert api_client.get("/api/v1/notifications/preferences/").status_code == 200


def test_notification_preferences_take_json_not_a_form(api_client, citizen):
    api_client.force_authenticate(citizen)
    form = api_client.patch("/api/v1/notifications/preferences/", {"digest": "daily"}, format="multipart")
    assert form.status_code == 415
    json_body = api_client.patch("/api/v1/notifications/preferences/", {"digest": "daily"}, format="json")
    assert json_body.status_code == 200
    assert json_body.json()["digest"] == "daily"


def test_a_body_that_cannot_be_parsed_is_a_persian_400_with_errors(api_client):
    response = api_client.post("/api/v1/auth/token/", data="{", content_type="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "parse_error"
    assert "JSON parse error" not in body["detail"] and "درخواست" in body["detail"]
    assert body["errors"] == {"non_field_errors": [body["detail"]]}


def test_the_organisation_link_is_a_path_and_the_public_profile_matches_the_schema(api_client):
    organization = VerifiedOrganizationFactory()
    body = api_client.get(f"/api/v1/organizations/{organization.pk}/").json()
    assert body["url"] == f"/organizations/{organization.pk}/"
    assert "created_at" not in body  # the public shape, one of the two the schema documents


@pytest.mark.parametrize(
    "url", ["/api/v1/notifications/?unread=maybe", "/api/v1/need-reports/?open=null", "/api/v1/need-reports/?mine=2"]
)
def test_a_yes_no_filter_refuses_anything_but_true_or_false(api_client, citizen, url):
    api_client.force_authenticate(citizen)
    response = api_client.get(url)
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


def test_nested_field_errors_are_documented_as_the_api_answers_them(api_client, citizen, client):
    api_client.force_authenticate(citizen)
    response = api_client.patch(
        "/api/v1/notifications/preferences/", {"events": {"comment_reply": {"email": "maybe"}}}, format="json"
    )
    assert response.status_code == 400
    assert isinstance(response.json()["errors"]["events"], dict)  # nested, not a list of strings
    errors = client.get("/api/schema/?format=json").json()["components"]["schemas"]["ValidationError"]
    assert {"type": "object"} in errors["properties"]["errors"]["additionalProperties"]["anyOf"]


def test_the_schema_documents_what_organisation_answers_really_hold(client):
    schema = client.get("/api/schema/?format=json").json()
    components = schema["components"]["schemas"]
    patch = schema["paths"]["/api/v1/organizations/{id}/"]["patch"]["responses"]["200"]
    assert patch["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/OrganizationPrivate"}
    assert components["StatusChange"]["properties"]["actor"]["nullable"] is True
    assert "format" not in components["OrganizationPrivate"]["properties"]["email"]  # blank is answered as ""
    assert components["OrganizationWriteRequest"]["properties"]["email"]["format"] == "email"
