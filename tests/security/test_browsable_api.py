"""The browsable API renders no write form for someone who may not write, and is off in production.

DRF's HTML view of an object fills its edit form from the write serializer,
so a citizen who cannot edit an organisation would still read its private
phone and email in the form. Every API route that names an object is read
from the resolver (a new one without kwargs in ``routes.page_kwargs`` fails
the walk) and opened as a citizen with ``Accept: text/html``.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from ngos.models import Organization
from tests.core.test_settings import run
from tests.security.routes import body_of, object_routes, page_kwargs
from tests.security.scene import build_world
from tests.security.test_privacy import ORGANIZATION_PHONE, _leaks, _secrets

BACKEND = "accounts.backends.PhoneOrEmailBackend"
ORGANIZATION_EMAIL = "office.private@ngo-private.test"
# A form that writes: posted, or sent by DRF's script with another method. DRF's own logout form is not one.
WRITE_FORM = re.compile(r"<form\b[^>]*(?:method=\"post\"|data-method=\"(?:post|put|patch|delete)\")[^>]*>", re.I)
RAW_DATA = 'name="_content"'


def _write_forms(body: str) -> list[str]:
    forms = [form for form in WRITE_FORM.findall(body) if 'id="logoutForm"' not in form]
    if RAW_DATA in body:
        forms.append(RAW_DATA)
    return forms


@pytest.fixture
def world(db, settings):
    settings.API_BROWSABLE = True
    w = build_world()
    Organization.objects.filter(pk__in=[w.organization.pk, w.other_organization.pk]).update(
        phone=ORGANIZATION_PHONE, email=ORGANIZATION_EMAIL
    )
    return w


def _as(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend=BACKEND)
    return client


def _api_object_routes():
    return [route for route in object_routes() if route.is_api]


def test_a_citizen_gets_no_write_form_and_no_private_value_on_any_api_object_page(world):
    client = _as(world.people["citizen"])
    kwargs = page_kwargs(world)
    secrets = _secrets(world, "citizen") | {"organization email": (ORGANIZATION_EMAIL,)}
    missing, problems, html_pages = [], [], 0
    for route in _api_object_routes():
        if route.name not in kwargs:
            missing.append(route.name)
            continue
        response = client.get(reverse(route.name, kwargs=kwargs[route.name]), HTTP_ACCEPT="text/html")
        body = body_of(response)
        if response.get("Content-Type", "").startswith("text/html"):
            html_pages += 1
        problems += [f"{route.name} shows {leak}" for leak in _leaks(body, secrets)]
        problems += [f"{route.name} renders {form}" for form in _write_forms(body)]
    assert not missing, f"API object routes without kwargs in tests/security/routes.py: {missing}"
    assert not problems, "\n".join(problems)
    assert html_pages >= 20


def test_the_organisations_manager_does_get_the_edit_form(world):
    """Forms stay for those who may write, so the check above is one that can fail."""
    url = reverse("api:organization-detail", kwargs={"pk": world.organization.pk})
    body = body_of(_as(world.people["manager"]).get(url, HTTP_ACCEPT="text/html"))
    assert RAW_DATA in _write_forms(body)
    assert 'data-method="PATCH"' in body


@pytest.mark.parametrize("route", ["api:organization-detail", "api:project-detail", "api:api-root"])
def test_with_the_browsable_api_off_html_clients_get_json(world, settings, route):
    settings.API_BROWSABLE = False
    kwargs = {"pk": world.organization.pk} if route == "api:organization-detail" else {}
    if route == "api:project-detail":
        kwargs = {"pk": world.project.pk}
    response = _as(world.people["citizen"]).get(reverse(route, kwargs=kwargs), HTTP_ACCEPT="text/html")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert "<form" not in response.content.decode()


def test_production_settings_render_json_only(monkeypatch):
    """DEBUG off (production) leaves the browsable renderer out of the settings."""
    monkeypatch.delenv("API_BROWSABLE", raising=False)
    result = run({"DEBUG": "false", "SECRET_KEY": "x" * 50}, attr="REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "['rest_framework.renderers.JSONRenderer']", result.stdout
    debug = run({"DEBUG": "true"}, attr="REST_FRAMEWORK['DEFAULT_RENDERER_CLASSES']")
    assert "core.api.renderers.BrowsableAPIRenderer" in debug.stdout, debug.stderr
