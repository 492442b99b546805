"""Gunicorn settings for Civic Portal web nodes, tuned for small (two-core) machines.

Run with ``gunicorn -c gunicorn.conf.py civic_portal.wsgi``; docs/deployment.md
explains the choices. Every value can be overridden from the environment
(``GUNICORN_*``) or on the command line, which wins over this file.
"""

from __future__ import annotations

import multiprocessing
import os


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    try:
        value = int(raw)
    except ValueError as exc:
        raise SystemExit(f"{name} must be a whole number, got {raw!r}") from exc
    if value < 0:
        raise SystemExit(f"{name} must not be negative, got {raw!r}")
    return value


_cores = multiprocessing.cpu_count()

wsgi_app = "civic_portal.wsgi:application"
bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")

# Django spends part of each request waiting on PostgreSQL and Redis. Threaded
# workers keep a core busy during those waits and, unlike sync workers, keep
# HTTP keep-alive connections open. Two processes per core with two threads
# each beat more processes on two cores (less memory, fewer context switches)
# and more threads (the GIL serialises template rendering). core.gunicorn's worker
# is gunicorn's gthread worker whose own answers to malformed requests (a request
# line or headers over the limits below…) are Persian: JSON under /api/.
worker_class = os.environ.get("GUNICORN_WORKER_CLASS", "core.gunicorn.ThreadWorker")
workers = _int("GUNICORN_WORKERS", max(2, 2 * _cores))
threads = _int("GUNICORN_THREADS", 2)

# Recycle workers now and then so a slow leak cannot grow without bound; the
# jitter keeps them from restarting all at once.
max_requests = _int("GUNICORN_MAX_REQUESTS", 2000)
max_requests_jitter = _int("GUNICORN_MAX_REQUESTS_JITTER", 200)

# A page that takes 30 s is broken; kill it rather than hold a worker. Long
# jobs (imports, digests) run in Celery, never in a request.
timeout = _int("GUNICORN_TIMEOUT", 30)
graceful_timeout = _int("GUNICORN_GRACEFUL_TIMEOUT", 30)
# Idle keep-alive seconds. Behind a load balancer set it above the balancer's idle
# timeout, so the balancer never reuses a connection gunicorn is closing.
keepalive = _int("GUNICORN_KEEPALIVE", 5)
backlog = _int("GUNICORN_BACKLOG", 2048)

# Import Django once in the master so workers share its memory (copy-on-write)
# and start fast. Safe: nothing opens a database or Redis connection at import,
# and ``post_fork`` below drops any connection inherited anyway.
preload_app = os.environ.get("GUNICORN_PRELOAD", "true").lower() != "false"

# The heartbeat file on tmpfs: a worker blocked on a slow disk is not killed as hung.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108 - tmpfs, not a temp file

# Logs to stdout/stderr for the process manager. %(M)s is the request time in
# milliseconds; %({x-request-id}i)s ties a line to the load balancer's log.
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# Blanks the token of a password-reset or unsubscribe link in each access line (core/logs.py).
logger_class = "core.logs.GunicornLogger"
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOG_LEVEL", "info")
access_log_format = '%(h)s "%(r)s" %(s)s %(B)s %(M)sms "%(a)s" %({x-forwarded-for}i)s %({x-request-id}i)s'
# The load balancer terminates TLS; trust its forwarding headers only from these addresses.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

proc_name = "civic-portal"


def post_fork(server, worker) -> None:
    """Never share a database connection opened in the master across processes.

    Without ``preload_app`` the master never set Django up, so it holds no connection to drop
    (and asking for one would fail before the worker has imported the app).
    """
    from django.conf import settings

    if not settings.configured:
        return
    from django.db import connections

    connections.close_all()


def on_starting(server) -> None:
    """Start /metrics from zero: drop the files that workers of an earlier run left (core/metrics.py)."""
    directory = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if directory:
        from core.metrics import clear_multiprocess_dir

        os.makedirs(directory, exist_ok=True)
        clear_multiprocess_dir(directory)


def child_exit(server, worker) -> None:
    """A worker that exits takes its live gauges with it; its counters stay in the sums."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
