"""Enqueueing helpers and the portal's own periodic tasks."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError

logger = logging.getLogger(__name__)


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Publish ``task`` now; return False instead of raising when the broker is down.

    Callers keep their work in the database (an outbox row, a status), and a
    periodic sweep publishes again whatever a broker outage swallowed.
    """
    try:
        task.apply_async(args=args, kwargs=kwargs)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("Broker unreachable, %s not enqueued: %s", task.name, exc)
        return False
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Publish ``task`` once the surrounding transaction commits, never before.

    A rolled-back transaction publishes nothing, so a worker never sees a row
    that does not exist.
    """
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


@shared_task
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def ping(key: str, value: str) -> str:
    """Write ``value`` under ``key`` in the cache: a round trip a test can observe."""
    from django.core.cache import cache

    cache.set(key, value, timeout=300)
    return value
