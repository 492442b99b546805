"""Whole-page cache for anonymous visitors, invalidated by version keys on every write.

Most traffic is anonymous and reads the same pages (home, lists, project
pages, the organisation directory, neighbourhoods). ``AnonymousPageCacheMiddleware``
keeps the rendered response of those pages in the cache, keyed by the URL, the
language and the htmx flag, and stamped with the *version* of each topic the
page shows. A write bumps the versions of its topics (``bump``), so the next
anonymous view finds a stale stamp and renders fresh: nothing stale is ever
served, and nothing has to be found and deleted. A hit costs one cache round
trip (the page and the current versions in one ``get_many``).

Who bumps: model signals for every saved or deleted row of a cached topic
(``connect_signals``; admin, services and shell alike), plus the services that
change rows with ``QuerySet.update`` or ``bulk_create`` (counters, imports),
which send no signals. Each bump happens at once and again after the commit,
so a page rendered from the old rows while the transaction was open is
dropped too. Services that write several rows run in ``bumps_batched``, so
their bumps reach the cache once (and once more after the commit).

Signed-in visitors always get a fresh page: their pages show their own state
(supports, follows, pending comments, the notification badge). Every page
carries the visitor's CSRF token; the cached copy keeps a placeholder that
each hit fills with the visitor's own token.
"""

from __future__ import annotations

import hashlib
import logging
import re
import uuid
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

logger = logging.getLogger(__name__)

PLACES, PROJECTS, ORGANIZATIONS = "places", "projects", "organizations"
HIT_HEADER = "X-Page-Cache"
_TOKEN_PLACEHOLDER = "__civic_csrf_token__"
_TOKEN_PATTERNS = (
    re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"'),
    re.compile(r'"X-CSRFToken": "([A-Za-z0-9]{64})"'),
)


def project_topic(project_id) -> str:
    return f"project:{project_id}"


def _project_page(kwargs: dict) -> tuple[str, ...]:
    return (project_topic(kwargs.get("pk")), PLACES, ORGANIZATIONS)


# View name → the topics whose versions key its cached pages.
CACHED_VIEWS: dict[str, Callable[[dict], tuple[str, ...]]] = {
    "home": lambda kw: (PROJECTS, PLACES),
    "projects:list": lambda kw: (PROJECTS, PLACES),
    "projects:detail": _project_page,
    "ngos:directory": lambda kw: (ORGANIZATIONS, PLACES),
    "ngos:detail": lambda kw: (ORGANIZATIONS, PLACES),
    "neighborhoods:index": lambda kw: (PLACES,),
    "neighborhoods:neighborhood_detail": lambda kw: (PLACES, PROJECTS, ORGANIZATIONS),
    "neighborhoods:district_detail": lambda kw: (PLACES, PROJECTS, ORGANIZATIONS),
}
# The API is not cached here: DRF authenticates tokens inside the view, after this
# middleware has decided, so a token holder's answer could reach anonymous callers;
# and every API call must still count against the API throttles.


# --- versions ------------------------------------------------------------------------
def _version_key(topic: str) -> str:
    return f"pagecache:v:{topic}"


def versions(topics: Iterable[str], *, also: Iterable[str] = ()) -> tuple[list[str], dict]:
    """The current version token of each topic (created on first use), and the ``also`` keys.

    One cache round trip fetches both, so a page hit costs a single ``get_many``.
    """
    topics = list(topics)
    found = cache.get_many([*(_version_key(t) for t in topics), *also])
    result = []
    for topic in topics:
        token = found.get(_version_key(topic))
        if token is None:
            token = uuid.uuid4().hex[:12]
            cache.set(_version_key(topic), token, None)
        result.append(token)
    return result, found


def _bump_now(topics: tuple[str, ...]) -> None:
    cache.set_many({_version_key(t): uuid.uuid4().hex[:12] for t in topics}, None)


# Topics bumped inside ``bumps_batched``, sent once when the block ends.
_batch: ContextVar[set[str] | None] = ContextVar("pagecache_batch", default=None)


def bump(*topics: str) -> None:
    """Make every cached page showing these topics stale: now, and again once the transaction commits."""
    if not topics:
        return
    pending = _batch.get()
    if pending is not None:
        pending.update(topics)
        return
    _bump_now(topics)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: _bump_now(topics))


@contextmanager
def bumps_batched() -> Iterator[None]:
    """Send the block's bumps once, when it ends (and again on commit), however many rows it writes.

    A comment or a support writes several rows whose signals and services all
    bump the same topics; batched, that is one version write instead of one
    per row, plus one after the commit. Usable as a decorator.
    """
    if _batch.get() is not None:  # already inside a batch: the outer one sends
        yield
        return
    pending: set[str] = set()
    token = _batch.set(pending)
    try:
        yield
    finally:
        _batch.reset(token)
        bump(*sorted(pending))


def bump_project(project_id) -> None:
    """A project changed: its own page and every list that shows it."""
    bump(PROJECTS, project_topic(project_id))


# --- middleware ----------------------------------------------------------------------
def _cacheable_request(request) -> bool:
    if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
        return False
    # An API token (or any credentials) signs the caller in inside the view, after
    # this middleware has looked: such an answer may be private and is never shared.
    if "HTTP_AUTHORIZATION" in request.META:
        return False
    # A flash message is shown once, to this visitor only.
    if "messages" in request.COOKIES:
        return False
    session = getattr(request, "session", None)
    return not (session is not None and session.session_key and "_messages" in session)


def _key(request) -> str:
    parts = [
        request.get_full_path(),
        getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE),
        request.headers.get("HX-Request", ""),
    ]
    return "pagecache:page:" + hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _content_for_cache(request, response) -> bytes | None:
    """The body with CSRF tokens swapped for a placeholder; None when the page must not be shared."""
    if response.status_code != 200 or response.streaming or response.cookies or response.has_header("Set-Cookie"):
        return None
    if not response.get("Content-Type", "").startswith("text/html"):
        return None
    body = response.content.decode(response.charset or "utf-8")
    tokens = {match for pattern in _TOKEN_PATTERNS for match in pattern.findall(body)}
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") and not tokens:
        return None  # a token went somewhere we cannot see: do not share this page
    for token in tokens:
        body = body.replace(token, _TOKEN_PLACEHOLDER)
    return body.encode(response.charset or "utf-8")


class AnonymousPageCacheMiddleware:
    """Serves anonymous GETs of ``CACHED_VIEWS`` from the cache; see the module docstring.

    Goes after the CSRF, authentication and message middleware: it needs
    ``request.user`` and the CSRF cookie, and the CSRF middleware must see its
    responses to set the cookie.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        pending = getattr(request, "_page_cache", None)
        if pending is not None:
            key, current = pending
            content = _content_for_cache(request, response)
            if content is not None:
                # The versions read *before* rendering: a write meanwhile makes this copy stale.
                entry = {"content": content, "content_type": response["Content-Type"], "versions": current}
                cache.set(key, entry, settings.PAGE_CACHE_SECONDS)
                response[HIT_HEADER] = "miss"
        return response

    def process_view(self, request, view_func, view_args, view_kwargs):
        match = request.resolver_match
        topics_for = CACHED_VIEWS.get(match.view_name) if match else None
        if topics_for is None or not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return None
        key = _key(request)
        current, found = versions(topics_for(view_kwargs), also=[key])
        entry = found.get(key)
        if entry is None or entry.get("versions") != current:
            request._page_cache = (key, current)
            return None
        body = entry["content"]
        if _TOKEN_PLACEHOLDER.encode() in body:
            body = body.replace(_TOKEN_PLACEHOLDER.encode(), get_token(request).encode())
        response = HttpResponse(body, content_type=entry["content_type"])
        response[HIT_HEADER] = "hit"
        return response


# --- signals -------------------------------------------------------------------------
def _project_rows(sender, instance, **kwargs) -> None:
    if kwargs.get("action", "post_").startswith("pre_"):
        return  # m2m_changed: only after the change
    if kwargs.get("reverse"):  # neighbourhood.projects.add(...): the projects are in pk_set
        bump(PROJECTS, *[project_topic(pk) for pk in kwargs.get("pk_set") or ()])
        return
    label = sender._meta.label
    if label == "projects.ProjectUpdateImage":
        from projects.models import ProjectUpdate

        project_id = ProjectUpdate.objects.filter(pk=instance.update_id).values_list("project_id", flat=True).first()
    elif isinstance(instance, _project_model()):
        project_id = instance.pk
    else:
        project_id = getattr(instance, "project_id", None)
    bump(PROJECTS, *([project_topic(project_id)] if project_id else []))


def _project_model():
    from projects.models import Project

    return Project


def _topic_rows(*topics: str):
    def receiver(sender, instance, **kwargs) -> None:
        if not kwargs.get("action", "post_").startswith("pre_"):
            bump(*topics)

    return receiver


_PROJECT_MODELS = (
    "projects.Project",
    "projects.ProjectImage",
    "projects.PhaseChange",
    "projects.ProjectUpdate",
    "projects.ProjectUpdateImage",
    "projects.Comment",
    "projects.Support",
)
_OTHER_MODELS = {
    "places.CityParticipationSettings": (PROJECTS,),
    "ngos.Organization": (ORGANIZATIONS,),
    "ngos.OrganizationActivity": (ORGANIZATIONS,),
    "places.City": (PLACES,),
    "places.District": (PLACES,),
    "places.Area": (PLACES,),
    "places.Neighborhood": (PLACES,),
    "neighborhoods.NeighborhoodHouse": (PLACES,),
    "neighborhoods.TrusteeBoard": (PLACES,),
    "neighborhoods.Trusteeship": (PLACES,),
    "neighborhoods.NeedReport": (PLACES,),
}
_receivers: list = []  # signals hold receivers weakly


def connect_signals() -> None:
    """Bump versions whenever a row a cached page shows is saved or deleted."""
    from django.apps import apps

    for label in _PROJECT_MODELS:
        model = apps.get_model(label)
        post_save.connect(_project_rows, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(_project_rows, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    for label, topics in _OTHER_MODELS.items():
        model = apps.get_model(label)
        receiver = _topic_rows(*topics)
        _receivers.append(receiver)
        post_save.connect(receiver, sender=model, dispatch_uid=f"pagecache-save-{label}")
        post_delete.connect(receiver, sender=model, dispatch_uid=f"pagecache-delete-{label}")
    through = apps.get_model("projects.Project").neighborhoods.through
    m2m_changed.connect(_project_rows, sender=through, dispatch_uid="pagecache-m2m-project-neighborhoods")
    relations = {
        "ngos.Organization.districts": (ORGANIZATIONS,),
        "ngos.Organization.neighborhoods": (ORGANIZATIONS,),
    }
    for path, topics in relations.items():
        app_model, field = path.rsplit(".", 1)
        through = getattr(apps.get_model(app_model), field).through
        receiver = _topic_rows(*topics)
        _receivers.append(receiver)
        m2m_changed.connect(receiver, sender=through, dispatch_uid=f"pagecache-m2m-{path}")
