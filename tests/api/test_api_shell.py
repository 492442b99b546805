import pytest

from accounts.models import ApiToken
from tests.factories import PASSWORD, CityFactory, DistrictFactory, UserFactory


@pytest.mark.django_db
def test_api_root_lists_endpoints(api_client):
    response = api_client.get("/api/v1/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert "districts" in response.json()


@pytest.mark.django_db
def test_lists_are_paginated_with_a_client_page_size(api_client):
    city = CityFactory()
    DistrictFactory.create_batch(23, city=city)
    body = api_client.get("/api/v1/districts/", {"page_size": 10, "page": 3}).json()
    assert body["count"] == 23
    assert len(body["results"]) == 3
    assert body["next"] is None and "page=2" in body["previous"]
    too_big = api_client.get("/api/v1/districts/", {"page_size": 1000}).json()
    assert len(too_big["results"]) == 23


@pytest.mark.django_db
def test_filter_backend_filters_lists(api_client):
    one, two = CityFactory(), CityFactory()
    DistrictFactory.create_batch(2, city=one)
    DistrictFactory(city=two)
    body = api_client.get("/api/v1/districts/", {"city": two.pk}).json()
    assert [d["city"] for d in body["results"]] == [two.pk]


@pytest.mark.django_db
def test_bad_filter_value_is_a_400_with_field_errors(api_client):
    response = api_client.get("/api/v1/districts/", {"city": "not-a-number"})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "city" in body["errors"]


@pytest.mark.django_db
def test_missing_page_is_a_json_404(api_client):
    response = api_client.get("/api/v1/districts/", {"page": 99})
    assert response.status_code == 404
    assert set(response.json()) == {"detail", "code"}


@pytest.mark.django_db
def test_me_needs_authentication_and_answers_in_persian(api_client):
    response = api_client.get("/api/v1/me/")
    assert response.status_code in (401, 403)
    assert response.json()["code"] == "not_authenticated"
    assert "ارسال نشده" in response.json()["detail"]  # DRF's own Persian message


@pytest.mark.django_db
def test_token_for_good_credentials_and_field_errors_for_bad_ones(api_client):
    user = UserFactory(phone="+989121112233")
    missing = api_client.post("/api/v1/auth/token/", {}, format="json")
    assert missing.status_code == 400
    assert set(missing.json()["errors"]) == {"username", "password"}
    wrong = api_client.post("/api/v1/auth/token/", {"username": "09121112233", "password": "x"}, format="json")
    assert wrong.status_code == 400
    assert wrong.json()["errors"]["non_field_errors"]
    good = api_client.post("/api/v1/auth/token/", {"username": "۰۹۱۲۱۱۱۲۲۳۳", "password": PASSWORD}, format="json")
    assert good.status_code == 200
    token = good.json()["token"]
    assert token.startswith(ApiToken.objects.get(user=user).prefix + ".")
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    me = api_client.get("/api/v1/me/").json()
    assert me["phone"] == "+989121112233"


@pytest.mark.django_db
def test_api_is_throttled_with_a_persian_429(api_client):
    from rest_framework.throttling import SimpleRateThrottle

    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "anon": "3/min"}
    try:
        responses = [api_client.get("/api/v1/cities/") for _ in range(4)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert [r.status_code for r in responses] == [200, 200, 200, 429]
    assert responses[-1].json()["code"] == "throttled"


@pytest.mark.django_db
@pytest.mark.parametrize("proxies", [0, 1])
def test_a_forged_forwarded_for_header_does_not_reset_the_api_throttle(api_client, settings, proxies):
    from rest_framework.throttling import SimpleRateThrottle

    settings.TRUSTED_PROXY_COUNT = proxies
    settings.REST_FRAMEWORK = {**settings.REST_FRAMEWORK, "NUM_PROXIES": proxies}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "anon": "3/min"}
    try:
        # The client invents a new first hop each time; the proxy appends the real address.
        responses = [
            api_client.get("/api/v1/cities/", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}, 203.0.113.7") for n in range(4)
        ]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert [r.status_code for r in responses] == [200, 200, 200, 429]


@pytest.mark.django_db
def test_schema_and_docs_are_served_without_a_cdn(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert schema.status_code == 200
    assert b"openapi" in schema.content
    assert b"/api/v1/districts/" in schema.content
    docs = client.get("/api/docs/")
    assert docs.status_code == 200
    html = docs.content.decode()
    assert "/static/drf_spectacular_sidecar/" in html
    assert "cdn.jsdelivr" not in html and "unpkg" not in html
