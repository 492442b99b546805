"""Error paths speak Persian: a 405 or a failed CSRF check is the portal's page (JSON under /api/), on every route.

Routes come from the resolver (the same sweep as the HEAD test), so a new
page or endpoint is covered without a change here.
"""

from __future__ import annotations

import pytest
from django.test import Client
from rest_framework.test import APIClient

from tests.security.test_transport import BACKEND, _urls, world  # noqa: F401 - the sweep's fixture

ENGLISH = ("Method Not Allowed", "CSRF verification failed", "CSRF Failed", "Forbidden (403)", "not allowed")


def _persian_page(response) -> str:
    body = response.content.decode()
    assert 'lang="fa"' in body and 'dir="rtl"' in body, body[:300]
    assert not any(text in body for text in ENGLISH), body[:300]
    return body


def _persian_json(response) -> dict:
    assert response["Content-Type"].startswith("application/json"), response["Content-Type"]
    data = response.json()
    assert data["detail"] and not any(text in data["detail"] for text in ENGLISH), data
    assert any("\u0600" <= ch <= "\u06ff" for ch in data["detail"]), data
    return data


@pytest.mark.parametrize("method", ["put", "patch", "delete"])
def test_a_method_no_page_takes_is_a_persian_405_on_every_page(world, method):  # noqa: F811
    client = Client()
    client.force_login(world.people["admin"], backend=BACKEND)
    pages = [(name, url) for name, url in _urls(world) if not url.startswith("/api/")]
    assert len(pages) > 40
    for name, url in pages:
        response = getattr(client, method)(url)
        assert response.status_code == 405, (name, url, response.status_code)
        assert response["Allow"] == "GET, HEAD, OPTIONS, POST", (name, url)
        _persian_page(response)


def test_a_method_an_endpoint_does_not_take_is_a_persian_json_405_on_every_api_route(world):  # noqa: F811
    client = APIClient()
    client.force_authenticate(world.people["admin"])
    endpoints = [(name, url) for name, url in _urls(world) if url.startswith("/api/v1/")]
    assert len(endpoints) > 20
    refused = 0
    for name, url in endpoints:
        options = client.options(url)
        allowed = options["Allow"] if options.status_code == 200 else ""
        method = next((m for m in ("PATCH", "PUT", "DELETE") if m not in allowed), None)
        if method is None:
            continue
        response = getattr(client, method.lower())(url, {}, format="json")
        if response.status_code in (403, 404, 429):
            continue  # refused (or throttled) before the method is looked at: not this test's concern
        assert response.status_code == 405, (name, url, method, response.status_code)
        _persian_json(response)
        refused += 1
    assert refused > 10


def test_a_form_posted_without_its_csrf_token_gets_the_persian_page_on_every_page(world):  # noqa: F811
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.people["citizen"], backend=BACKEND)
    pages = [(name, url) for name, url in _urls(world) if not url.startswith(("/api/", "/notifications/unsubscribe/"))]
    checked = 0
    for name, url in pages:
        response = client.post(url, {"x": "1"})
        if response.status_code != 403:
            continue  # a page that refuses earlier (login required elsewhere, 404, 405) never reaches the check
        body = _persian_page(response)
        assert "این فرم منقضی شده" in body, (name, url)
        checked += 1
    assert checked > 20


def test_an_api_write_with_a_session_but_no_csrf_token_gets_persian_json(world):  # noqa: F811
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(world.people["citizen"], backend=BACKEND)
    response = client.post(f"/api/v1/projects/{world.project.pk}/support/", {}, format="json")
    assert response.status_code == 403
    assert _persian_json(response)["code"] == "csrf_failed"
