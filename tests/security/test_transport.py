"""HEAD is GET without a body, and every response (pages, API, admin, static) carries the security headers.

Routes come from the resolver and static files from the finders, so a new
page, endpoint or file kind is covered without a change here.
"""

from __future__ import annotations

import http.client
from pathlib import PurePosixPath
from urllib.parse import urlparse

import pytest
from django.apps import apps
from django.contrib.auth.tokens import default_token_generator
from django.contrib.staticfiles import finders
from django.core.handlers.wsgi import WSGIRequest
from django.templatetags.static import static
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from notifications.tokens import make_token
from tests.security.routes import Route, all_routes, close_quietly, page_kwargs
from tests.security.scene import World, build_world

BACKEND = "accounts.backends.PhoneOrEmailBackend"
SECURITY_HEADERS = (
    "Content-Security-Policy",
    "Permissions-Policy",
    "X-Content-Type-Options",
    "Referrer-Policy",
    "Cross-Origin-Opener-Policy",
    "X-Frame-Options",
)
STATIC_KINDS = (".css", ".js", ".woff2", ".woff", ".ttf", ".png", ".svg", ".gif")


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    return build_world(with_files=True)


def _admin_kwargs(route: Route) -> dict | None:
    """Admin URLs filled with the first stored row of their model; None when there is none."""
    params = set(route.params)
    if params == {"app_label"}:
        return {"app_label": "projects"}
    if params != {"object_id"}:
        return None
    app_label, _, rest = route.name.removeprefix("admin:").partition("_")
    for model in apps.get_app_config(app_label).get_models():
        if rest.startswith(model._meta.model_name + "_"):
            row = model._default_manager.order_by("pk").first()
            return {"object_id": row.pk} if row else None
    return None


def _kwargs(world: World, route: Route) -> dict | None:
    """URL kwargs for ``route`` from the world, or None for a route that cannot be filled."""
    if not route.params:
        return {}
    known = page_kwargs(world)
    if route.name in known:
        return known[route.name]
    citizen = world.people["citizen"]
    if route.name == "notifications:unsubscribe":
        return {"token": make_token(user_id=citizen.pk, event="project.phase_changed", channel="email")}
    if route.name == "accounts:password_reset_confirm":
        uid = urlsafe_base64_encode(force_bytes(citizen.pk))
        return {"uidb64": uid, "token": default_token_generator.make_token(citizen)}
    if route.name == "api:project-flag":
        return {"pk": world.project.pk, "comment_id": world.reply.pk}
    if route.is_admin:
        return _admin_kwargs(route)
    return None


# Routes the sweep cannot fill, and why. Anything else unfillable fails the sweep.
UNFILLED = {
    "admin:view_on_site": "a redirect to the object's own page, which the sweep opens directly",
}


def _urls(world: World) -> list[tuple[str, str]]:
    urls, missing = [], []
    for route in all_routes():
        kwargs = _kwargs(world, route)
        if kwargs is None:
            if route.name not in UNFILLED and not route.is_admin:
                missing.append(route.name)
            continue
        urls.append((route.name, reverse(route.name, kwargs=kwargs)))
    assert not missing, f"routes the sweep cannot fill: {missing}"
    return urls


def _client(user=None) -> APIClient:
    client = APIClient()
    if user is not None:
        client.force_login(user, backend=BACKEND)
    return client


def app_answer(client, method: str, url: str):
    """The response and body the application hands the server, before the server drops a HEAD body.

    The test client strips HEAD bodies the way most servers do; a server that
    does not (or a proxy that trusts the application) would send them, so the
    application itself must not produce one.
    """
    parsed = urlparse(url)
    environ = client._base_environ(PATH_INFO=client._get_path(parsed), QUERY_STRING=parsed.query, REQUEST_METHOD=method)
    if client.handler._middleware_chain is None:
        client.handler.load_middleware()
    response = client.handler.get_response(WSGIRequest(environ))
    body = b"".join(response.streaming_content) if response.streaming else response.content
    close_quietly(response)
    return response, body


def _content_type(response) -> str:
    return response.get("Content-Type", "").split(";")[0]


@pytest.mark.parametrize("who", ["anonymous", "admin", "manager"])
def test_head_answers_like_get_without_a_body_on_every_route(world, who):
    client = _client(None if who == "anonymous" else world.people[who])
    failures = []
    for name, url in _urls(world):
        got, _ = app_answer(client, "GET", url)
        head, body = app_answer(client, "HEAD", url)
        if head.status_code != got.status_code:
            failures.append(f"{name} {url}: HEAD {head.status_code}, GET {got.status_code}")
        elif _content_type(head) != _content_type(got):
            failures.append(f"{name} {url}: HEAD {_content_type(head)!r}, GET {_content_type(got)!r}")
        if body:
            failures.append(f"{name} {url}: HEAD answered {len(body)} bytes of body")
    assert not failures, "\n".join(failures)


def _static_sample() -> list[str]:
    """One file of every kind the finders serve (stylesheet, script, font, image) from every source."""
    sample: dict[tuple[str, str], str] = {}
    for finder in finders.get_finders():
        for path, storage in finder.list(["*.py", "*.txt", "*.md", "*.map", "*.json", "LICENSE*"]):
            suffix = PurePosixPath(path).suffix
            if suffix in STATIC_KINDS:
                sample.setdefault((suffix, str(getattr(storage, "location", ""))), path)
    kinds = {suffix for suffix, _ in sample}
    assert {".css", ".js"} <= kinds and kinds & {".woff2", ".woff", ".ttf"}, kinds
    return sorted(sample.values())


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_static_files_answer_head_and_carry_the_security_headers(db, method):
    client = _client()
    failures = []
    for path in _static_sample():
        response = client.generic(method, static(path))
        body = b"".join(response.streaming_content) if response.streaming else response.content
        close_quietly(response)
        if response.status_code != 200:
            failures.append(f"{path}: {response.status_code}")
        missing = [h for h in SECURITY_HEADERS if not response.has_header(h)]
        if missing:
            failures.append(f"{path}: no {missing}")
        if method == "HEAD" and body:
            failures.append(f"{path}: HEAD body")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("who", ["anonymous", "admin"])
def test_every_route_carries_the_security_headers(world, who):
    client = _client(None if who == "anonymous" else world.people[who])
    failures = []
    for name, url in _urls(world):
        response, _ = app_answer(client, "GET", url)
        missing = [h for h in SECURITY_HEADERS if not response.has_header(h)]
        if missing:
            failures.append(f"{name} {url} ({response.status_code}): no {missing}")
    assert not failures, "\n".join(failures)


def test_head_of_a_page_served_from_the_page_cache_has_no_body(db, settings):
    settings.PAGE_CACHE_SECONDS = 60
    client = _client()
    first, _ = app_answer(client, "GET", "/")
    assert first["X-Page-Cache"] == "miss"
    head, body = app_answer(client, "HEAD", "/")
    assert head["X-Page-Cache"] == "hit"
    assert head.status_code == 200 and _content_type(head) == "text/html"
    assert body == b""


def _exchange(connection: http.client.HTTPConnection, method: str, path: str) -> tuple[int, bytes]:
    connection.request(method, path, headers={"Connection": "keep-alive"})
    response = connection.getresponse()
    return response.status, response.read()


@pytest.mark.django_db(transaction=True)
def test_head_then_get_on_one_live_connection(live_server):
    """A real socket: after HEAD, the next answer on the same connection parses as its own response."""
    parsed = urlparse(live_server.url)
    connection = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=10)
    try:
        head_status, head_body = _exchange(connection, "HEAD", "/")
        get_status, get_body = _exchange(connection, "GET", "/")
        again_status, _ = _exchange(connection, "HEAD", reverse("projects:list"))
    finally:
        connection.close()
    assert head_status == get_status == 200
    assert head_body == b""
    assert b"<html" in get_body
    assert again_status == 200
