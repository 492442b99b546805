"""Prometheus metrics: what the portal counts, the middleware that times requests, and /metrics.

Every instrument lives here and apps call the small ``count_*`` functions, so
the names, labels and buckets are decided once. Labels are always from a
short, fixed set (a view's name, never its path) so the number of series
cannot grow with traffic.

gunicorn runs several workers, each with its own memory. When
``PROMETHEUS_MULTIPROC_DIR`` is set (before the process starts: the client
decides at import time), each process writes its values to files there and a
scrape adds them up; otherwise the values live in this process
(``manage.py runserver``, tests). Numbers that are facts about the database,
such as the outbox backlog, are not counted at all: an app registers a
collector with ``register_collector`` and they are read once per scrape.
"""

from __future__ import annotations

import glob
import hmac
import logging
import os
import time
from collections.abc import Iterable
from typing import Protocol

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connections
from django.http import Http404, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from prometheus_client import REGISTRY, Counter, Histogram, disable_created_metrics, generate_latest, multiprocess
from prometheus_client.exposition import CONTENT_TYPE_PLAIN_0_0_4

logger = logging.getLogger(__name__)

MULTIPROC_ENV = "PROMETHEUS_MULTIPROC_DIR"
# Pages and API answers: most take tens of milliseconds; past 2.5 s something is wrong.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0)
QUERY_BUCKETS = (0, 1, 2, 3, 5, 10, 20, 50, 100, 200)

# A `_created` twin of every counter doubles the series and no dashboard reads it.
disable_created_metrics()

REQUEST_LATENCY = Histogram(
    "civic_http_request_duration_seconds",
    "Time from the first middleware to the response, by view name and status class.",
    ["view", "status"],
    buckets=LATENCY_BUCKETS,
)
REQUEST_QUERIES = Histogram(
    "civic_http_request_db_queries",
    "Database queries run while answering one request, by view name.",
    ["view"],
    buckets=QUERY_BUCKETS,
)
PAGE_CACHE = Counter("civic_page_cache_requests", "Anonymous page-cache look-ups by result (hit or miss).", ["result"])
TASKS = Counter("civic_celery_tasks", "Celery task runs by task name and outcome.", ["task", "state"])
DELIVERIES = Counter(
    "civic_notification_deliveries", "Notification delivery attempts by channel and outcome.", ["channel", "outcome"]
)
RATE_LIMITED = Counter("civic_rate_limit_refusals", "Requests refused for passing a rate limit, by scope.", ["scope"])
OTP_SENDS = Counter("civic_otp_sends", "One-time code SMS sends by outcome.", ["outcome"])


# --- what the apps call --------------------------------------------------------------


def count_page_cache(*, hit: bool) -> None:
    PAGE_CACHE.labels("hit" if hit else "miss").inc()


def count_delivery(channel: str, outcome: str) -> None:
    """One attempt to deliver a notification: ``sent``, ``retry`` or ``failed``."""
    DELIVERIES.labels(channel, outcome).inc()


def count_rate_limited(scope: str) -> None:
    RATE_LIMITED.labels(scope).inc()


def count_otp_send(outcome: str) -> None:
    """One attempt to send a code: ``sent``, ``refused`` (for good), ``retry`` or ``failed``."""
    OTP_SENDS.labels(outcome).inc()


def count_task(task_name: str, state: str) -> None:
    TASKS.labels(task_name, state).inc()


def _on_task_success(sender=None, **kwargs) -> None:
    count_task(getattr(sender, "name", "unknown"), "succeeded")


def _on_task_failure(sender=None, **kwargs) -> None:
    count_task(getattr(sender, "name", "unknown"), "failed")


def _on_task_retry(sender=None, **kwargs) -> None:
    count_task(getattr(sender, "name", "unknown"), "retried")


def _on_worker_process_shutdown(pid=None, **kwargs) -> None:
    directory = os.environ.get(MULTIPROC_ENV)
    if directory:
        multiprocess.mark_process_dead(pid or os.getpid(), directory)


def connect_celery_signals() -> None:
    """Count every task's outcome, in workers and in eager runs alike (called where the Celery app is made)."""
    from celery import signals

    signals.task_success.connect(_on_task_success, weak=False, dispatch_uid="metrics-task-success")
    signals.task_failure.connect(_on_task_failure, weak=False, dispatch_uid="metrics-task-failure")
    signals.task_retry.connect(_on_task_retry, weak=False, dispatch_uid="metrics-task-retry")
    signals.worker_process_shutdown.connect(
        _on_worker_process_shutdown, weak=False, dispatch_uid="metrics-worker-process-shutdown"
    )


# --- read at scrape time -------------------------------------------------------------


class Collector(Protocol):
    def collect(self) -> Iterable: ...


_collectors: list[Collector] = []


def register_collector(collector: Collector) -> None:
    """Add a collector read on every scrape (an app's ``ready()``): one or two aggregate queries, not a count."""
    if collector not in _collectors:
        _collectors.append(collector)


class _Scrape:
    """What one scrape reads: the counted values (this process's, or every process's files) and the collectors."""

    def __init__(self, sources: list) -> None:
        self.sources = sources

    def collect(self):
        for source in self.sources:
            try:
                yield from source.collect()
            except Exception:  # noqa: BLE001 - one broken source must not hide the others
                logger.exception("Metrics collector %r failed", source)


class _Files:
    """The values every process wrote to its files: this server's workers, and the Celery workers on this host."""

    def __init__(self, directories: list[str]) -> None:
        self.directories = directories

    def collect(self):
        files = [path for directory in self.directories for path in glob.glob(os.path.join(directory, "*.db"))]
        return multiprocess.MultiProcessCollector.merge(files, accumulate=True)


def exposition() -> bytes:
    """The metrics in Prometheus text format 0.0.4."""
    directory = os.environ.get(MULTIPROC_ENV)
    counted = _Files([directory, *settings.METRICS_WORKER_DIRS]) if directory else REGISTRY
    return generate_latest(_Scrape([counted, *_collectors]))


def clear_multiprocess_dir(directory: str) -> None:
    """Remove the files of processes no longer running (gunicorn's start, before the first worker).

    Files of a live process are kept: a Celery worker on the same host may be
    writing to the same directory.
    """
    for path in glob.glob(os.path.join(directory, "*.db")):
        pid = os.path.basename(path).rsplit("_", 1)[-1].removesuffix(".db")
        if pid.isdigit() and _alive(int(pid)) and int(pid) != os.getpid():
            continue
        try:
            os.remove(path)
        except FileNotFoundError:
            pass


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


# --- the page ------------------------------------------------------------------------


@csrf_exempt
@never_cache
def metrics_view(request):
    """/metrics for Prometheus: 404 unless a token is configured, 403 without the right bearer token."""
    expected = settings.METRICS_TOKEN
    if not expected:
        raise Http404
    scheme, _space, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise PermissionDenied
    return HttpResponse(exposition(), content_type=CONTENT_TYPE_PLAIN_0_0_4)


# --- the middleware ------------------------------------------------------------------


class _QueryCounter:
    __slots__ = ("count",)

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


class RequestMetricsMiddleware:
    """Times each request and counts its queries, labelled by the view's name (first in MIDDLEWARE).

    A request no URL pattern matched is ``unmatched`` (static files served by
    WhiteNoise are ``static``), so a scan of random paths adds no series.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response
        self.aliases = list(connections)
        self.static_prefix = settings.STATIC_URL or "/static/"
        if not self.static_prefix.startswith("/"):
            self.static_prefix = "/" + self.static_prefix

    def __call__(self, request):
        counter = _QueryCounter()
        wrapped = [connections[alias] for alias in self.aliases]
        for connection in wrapped:
            connection.execute_wrappers.append(counter)
        start = time.perf_counter()
        try:
            response = self.get_response(request)
        finally:
            elapsed = time.perf_counter() - start
            for connection in wrapped:
                connection.execute_wrappers.remove(counter)
        view = self._view_name(request)
        REQUEST_LATENCY.labels(view, f"{response.status_code // 100}xx").observe(elapsed)
        REQUEST_QUERIES.labels(view).observe(counter.count)
        return response

    def _view_name(self, request) -> str:
        match = getattr(request, "resolver_match", None)
        if match is not None:
            return match.view_name
        if request.path_info.startswith(self.static_prefix):
            return "static"
        return "unmatched"
