"""The XSS corpus through every user-text field, checked inert on every page that shows it.

The payloads are written into every free-text column of every record (people
included, see ``scene.fill_free_text``), then every page is opened as each kind
of user, every admin list and change page as staff, every API list and detail,
the CSV exports and the notification emails, and each HTML body is parsed for
anything a browser would run. ``test_the_check_can_fail`` shows the check
catches the same payloads once a template renders them with ``|safe``.
"""

from __future__ import annotations

import csv
import io
import json
import re

import pytest
from django.contrib.admin import site as admin_site
from django.template import Context, Template
from django.urls import reverse
from rest_framework.test import APIClient

from notifications.channels import build_email
from notifications.models import Channel, Notification
from projects.services.projects import project_post_update
from tests.security.routes import all_routes, body_of, close_quietly, page_kwargs
from tests.security.scene import build_world, fill_free_text
from tests.security.test_idor import ADMIN_SCOPED
from tests.security.xss import PAYLOADS, active_content, assert_inert

BACKEND = "accounts.backends.PhoneOrEmailBackend"
# Who opens the pages: each sees pages the others do not (inbox, manager pages, staff forms).
VIEWERS = ("citizen", "manager", "trustee", "staff", "admin")
# The API and the open-data exports answer everyone alike; two viewers are enough there.
DATA_VIEWERS = {"citizen", "admin"}
# Routes that show no stored text or are not pages.
SKIP = {"accounts:logout", "healthz", "schema", "api-docs", "set_language", "api:api-root"}

VECTORS = [v for k, v in PAYLOADS.items() if k != "bidi"]


def _client(user) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


def _check_response(response, where: str, payload: str) -> str | None:
    """None when the response is safe; otherwise what is wrong with it."""
    ctype = response.get("Content-Type", "")
    body = body_of(response)
    close_quietly(response)
    if response.status_code != 200:
        return None
    if response.get("X-Content-Type-Options") != "nosniff":
        return f"{where}: no X-Content-Type-Options: nosniff"
    if ctype.startswith("text/html"):
        problems = active_content(body)
        return f"{where}: {problems}" if problems else None
    if ctype.startswith("application/json"):
        json.loads(body)  # well-formed: the text is a JSON string, not markup
        return None
    if ctype.startswith(("application/pdf", "image/")):
        if "attachment" not in response.get("Content-Disposition", ""):
            return f"{where}: a file shown inline"
        return None
    if ctype.startswith("text/css"):
        # The per-city stylesheet (/city.css): custom properties with hex colours, whatever the city row holds.
        if re.search(r"[<>\"'(\\@]|url|expression", body):
            return f"{where}: a stylesheet that carries more than colours: {body[:80]!r}"
        return None
    if ctype.startswith("text/csv"):
        for row in csv.reader(io.StringIO(body)):
            for cell in row:
                if cell[:1] in ("=", "+", "-", "@") and not cell.lstrip("-").replace(".", "").isdigit():
                    return f"{where}: a cell a spreadsheet would run: {cell[:40]!r}"
        return None
    return f"{where}: unexpected content type {ctype!r}"


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return build_world(with_files=True)


def _sweep(world, payloads: list[str], shift: int = 0) -> tuple[list[str], int]:
    """Open everything as everyone; return the problems and how many pages showed a payload."""
    fill_free_text(world, payloads, shift=shift)
    payload = " ".join(payloads)
    # A notification made now, by the real service, from the payload-filled project title.
    w = world
    project_post_update(project=type(w.project).objects.get(pk=w.project.pk), actor=w.people["staff"], text=payload)
    kwargs = page_kwargs(world)
    problems: list[str] = []
    shown = 0
    marker = "__xss" if "__xss" in payload else "evil.exe"
    for viewer in VIEWERS:
        client = _client(world.people[viewer])
        for route in all_routes():
            if route.is_admin or route.name in SKIP or (route.params and route.name not in kwargs):
                continue
            if (route.is_api or "export" in route.name) and viewer not in DATA_VIEWERS:
                continue
            url = reverse(route.name, kwargs=kwargs.get(route.name, {}))
            response = client.get(url)
            if response.status_code == 200 and marker in body_of(response):
                shown += 1
            problem = _check_response(response, f"{viewer} {url}", payload)
            if problem:
                problems.append(problem)
            if route.is_api and viewer == "admin":
                # DRF's browsable API: the HTML a browser gets for the same answer.
                browsable = client.get(url, HTTP_ACCEPT="text/html")
                problem = _check_response(browsable, f"{viewer} {url} (browsable API)", payload)
                if problem:
                    problems.append(problem)
    admin = _client(world.people["admin"])
    for model in admin_site._registry:
        info = (model._meta.app_label, model._meta.model_name)
        urls = [reverse("admin:{}_{}_changelist".format(*info))]
        name = ADMIN_SCOPED.get(model._meta.label_lower)
        row = world.objects[name] if name else model._default_manager.order_by("pk").first()
        if row is not None:
            urls.append(reverse("admin:{}_{}_change".format(*info), args=[row.pk]))
        for url in urls:
            problem = _check_response(admin.get(url), f"admin {url}", payload)
            if problem:
                problems.append(problem)
    for notification in Notification.objects.all():
        notification.channel = Channel.EMAIL
        message = build_email(notification)
        html = message.alternatives[0][0]
        if active_content(html):
            problems.append(f"email of notification {notification.pk}: {active_content(html)}")
    return problems, shown


@pytest.mark.parametrize("shift", [0, 3])
def test_payloads_are_inert_everywhere(world, shift):
    problems, shown = _sweep(world, VECTORS, shift=shift)
    assert not problems, "\n".join(problems)
    # The payloads really reached the pages (escaped), so the check had something to look at.
    assert shown >= 40


@pytest.mark.parametrize("name", [k for k in PAYLOADS if k not in ("bidi", "template")])
def test_the_check_can_fail(name):
    """The same payloads rendered with ``|safe`` (in text, in an attribute, in a link) are caught."""
    payload = PAYLOADS[name]
    contexts = [
        "<p>{{ v|safe }}</p>",
        "<input value='{{ v|safe }}'>",
        '<div title="{{ v|safe }}"></div>',
    ]
    rendered = [Template(t).render(Context({"v": payload})) for t in contexts]
    assert any(active_content(html) for html in rendered), rendered
    escaped = [Template(t.replace("|safe", "")).render(Context({"v": payload})) for t in contexts]
    assert not any(active_content(html) for html in escaped), escaped


def test_the_check_catches_an_evaluated_template():
    evaluated = Template("<p>" + PAYLOADS["template"] + "</p>").render(
        Context({"request": {"user": {"password": "pbkdf2_sha256$870000$salt$hash"}}})
    )
    assert active_content(evaluated)
    assert not active_content(Template("<p>{{ v }}</p>").render(Context({"v": PAYLOADS["template"]})))


def test_a_page_that_renders_user_text_with_safe_fails_the_sweep(world, settings, tmp_path):
    """Swap one real template for a ``|safe`` copy: the sweep must notice."""
    from pathlib import Path

    original = Path(settings.BASE_DIR) / "templates" / "projects" / "_comment.html"
    unsafe_dir = tmp_path / "templates" / "projects"
    unsafe_dir.mkdir(parents=True)
    (unsafe_dir / "_comment.html").write_text(
        original.read_text(encoding="utf-8").replace("{{ comment.text", "{{ comment.text|safe", 1), encoding="utf-8"
    )
    assert "comment.text|safe" in (unsafe_dir / "_comment.html").read_text(encoding="utf-8")
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [str(tmp_path / "templates"), *settings.TEMPLATES[0]["DIRS"]]}
    ]
    fill_free_text(world, [PAYLOADS["script"]])
    response = _client(None).get(world.project.get_absolute_url())
    assert response.status_code == 200
    assert active_content(response.content.decode())


def test_browsable_api_renders_an_organisation_for_its_editors(world):
    """The browsable API builds its edit form from the write serializer; that must not fail (it was a 500)."""
    w = world
    for who in ("manager", "staff", "admin"):
        response = _client(w.people[who]).get(f"/api/v1/organizations/{w.organization.pk}/", HTTP_ACCEPT="text/html")
        assert response.status_code == 200, who
        assert_inert(response.content.decode(), f"browsable API as {who}")
