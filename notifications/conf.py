"""Tunables of the outbox, read from Django settings at call time.

Defaults suit production; every one may be set in settings.py (tests override
them with pytest-django's ``settings`` fixture).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings


def max_attempts() -> int:
    """Sends tried before a row is marked failed."""
    return int(getattr(settings, "NOTIFICATIONS_MAX_ATTEMPTS", 5))


def retry_backoff(attempts: int) -> int:
    """Seconds to wait after the ``attempts``-th failure: 60, 120, 240 …

    Capped at half an hour, below the broker's visibility timeout.
    """
    base = int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF", 60))
    cap = int(getattr(settings, "NOTIFICATIONS_RETRY_BACKOFF_MAX", 1800))
    return min(cap, base * 2 ** max(0, attempts - 1))


def lease() -> dt.timedelta:
    """How long a claim lasts: longer than any send may take (SMTP and gateway timeouts)."""
    return dt.timedelta(seconds=int(getattr(settings, "NOTIFICATIONS_LEASE_SECONDS", 300)))


def sweep_after() -> dt.timedelta:
    """How overdue a pending row must be before the sweep publishes it again."""
    return dt.timedelta(seconds=int(getattr(settings, "NOTIFICATIONS_SWEEP_AFTER_SECONDS", 300)))


def sweep_batch() -> int:
    return int(getattr(settings, "NOTIFICATIONS_SWEEP_BATCH", 500))


def queue() -> str | None:
    """Celery queue for deliveries; None uses the default queue."""
    return getattr(settings, "NOTIFICATIONS_QUEUE", None) or None
