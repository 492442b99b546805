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
(``watch`` and ``watch_relation``, registered by each app; admin, services and shell alike), plus the services that
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
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.middleware.csrf import get_token

from core import metrics

logger = logging.getLogger(__name__)

HIT_HEADER = "X-Page-Cache"
_TOKEN_PLACEHOLDER = "__civic_csrf_token__"
_TOKEN_PATTERNS = (
    re.compile(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"'),
    re.compile(r'"X-CSRFToken": "([A-Za-z0-9]{64})"'),
)


# View name → the topics whose versions key its cached pages. Apps add their
# pages from ``AppConfig.ready()`` with ``cache_view``; the kernel knows none of them.
# Several apps may add topics to one page (a neighbourhood page shows projects too).
CACHED_VIEWS: dict[str, list[Callable[[dict], tuple[str, ...]]]] = {}
# Model label → the topics that stamp a list of its rows (exact counts, shared filter choices).
LIST_TOPICS: dict[str, tuple[str, ...]] = {}


def cache_view(view_name: str, topics_for: Callable[[dict], tuple[str, ...]]) -> None:
    """Serve anonymous GETs of ``view_name`` from the cache, stamped with ``topics_for(view_kwargs)``.

    Called again for the same view, the topics add up.
    """
    CACHED_VIEWS.setdefault(view_name, []).append(topics_for)


def view_topics(view_name: str, view_kwargs: dict) -> tuple[str, ...] | None:
    """The topics of a cached view, or None when the view is not cached."""
    found = CACHED_VIEWS.get(view_name)
    if not found:
        return None
    return tuple(dict.fromkeys(topic for topics_for in found for topic in topics_for(view_kwargs)))


def cache_lists(model: type[Model], *topics: str) -> None:
    """Every write to rows a list of ``model`` shows bumps one of ``topics``, so a stamped copy is exact."""
    LIST_TOPICS[model._meta.label] = topics


def list_topics(model: type[Model]) -> tuple[str, ...] | None:
    return LIST_TOPICS.get(model._meta.label)


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
        topics = view_topics(match.view_name, view_kwargs) if match else None
        if topics is None or not settings.PAGE_CACHE_SECONDS or not _cacheable_request(request):
            return None
        key = _key(request)
        current, found = versions(topics, also=[key])
        entry = found.get(key)
        if entry is None or entry.get("versions") != current:
            request._page_cache = (key, current)
            metrics.count_page_cache(hit=False)
            return None
        metrics.count_page_cache(hit=True)
        body = entry["content"]
        if _TOKEN_PLACEHOLDER.encode() in body:
            body = body.replace(_TOKEN_PLACEHOLDER.encode(), get_token(request).encode())
        response = HttpResponse(body, content_type=entry["content_type"])
        response[HIT_HEADER] = "hit"
        return response


# --- signals -------------------------------------------------------------------------
Topics = tuple[str, ...] | Callable[..., Iterable[str]]
_receivers: list = []  # signals hold receivers weakly
_watched: dict[str, Topics] = {}  # model label -> the topics ``watch`` bumps for its rows


def _topics_receiver(topics: Topics):
    def receiver(sender, instance, **kwargs) -> None:
        if kwargs.get("action", "post_").startswith("pre_"):
            return  # m2m_changed: only after the change
        bump(*(topics(instance, **kwargs) if callable(topics) else topics))

    _receivers.append(receiver)
    return receiver


def watch(model: type[Model], topics: Topics) -> None:
    """Bump ``topics`` whenever a row of ``model`` is saved or deleted (admin, services and shell alike).

    ``topics`` is a tuple, or a function of the row (and the signal's keyword
    arguments) for topics that name the row, such as one project's page.
    """
    receiver = _topics_receiver(topics)
    label = model._meta.label
    _watched[label] = topics
    post_save.connect(receiver, sender=model, dispatch_uid=f"pagecache-save-{label}")
    post_delete.connect(receiver, sender=model, dispatch_uid=f"pagecache-delete-{label}")


def bump_rows(model: type[Model], rows: Iterable[Model]) -> None:
    """Bump what ``watch`` would for ``rows`` written without signals (``bulk_create``), knowing no topic names.

    A bulk service of an app low in the stack calls it; the app above that
    registered the topics for ``model`` decides what goes stale.
    """
    topics = _watched.get(model._meta.label)
    rows = list(rows)
    if topics is None or not rows:
        return
    found = {topic for row in rows for topic in topics(row)} if callable(topics) else set(topics)
    bump(*sorted(found))


def watch_relation(relation, topics: Topics) -> None:
    """Bump ``topics`` after rows are added to or removed from a many-to-many ``relation``."""
    through = relation.through
    m2m_changed.connect(_topics_receiver(topics), sender=through, dispatch_uid=f"pagecache-m2m-{through._meta.label}")
