"""Enqueueing helpers and the portal's own periodic tasks."""

from __future__ import annotations

import logging
from typing import Any

from celery import Task, shared_task
from django.core.management import call_command
from django.db import transaction
from kombu.exceptions import OperationalError

from core.cache import breaker_for, without_password

logger = logging.getLogger(__name__)

# How long a broker outage is remembered before publishing is tried again.
BROKER_RETRY_SECONDS = 5


def enqueue(task: Task, *args: Any, **kwargs: Any) -> bool:
    """Publish ``task`` now; return False instead of raising when the broker is down (see ``_publish``)."""
    return _publish(task, args, kwargs)


def _publish(task: Task, args: tuple, kwargs: dict, countdown: int | None = None) -> bool:
    """Publish ``task`` now; return False instead of raising when the broker is down.

    Callers keep their work in the database (an outbox row, a status), and a
    periodic sweep publishes again whatever a broker outage swallowed. While
    the broker is known to be down, publishes are skipped without waiting.
    """
    # A hung broker costs seconds per publish: after one failure, skip publishing for a while.
    broker = None
    if not task.app.conf.task_always_eager:
        broker = breaker_for(f"Celery broker {without_password(task.app.conf.broker_url)}", BROKER_RETRY_SECONDS)
        if not broker.allow():
            logger.warning("Broker known to be down, %s not enqueued", task.name)
            return False
    try:
        task.apply_async(args=args, kwargs=kwargs, countdown=countdown)
    except (OperationalError, ConnectionError, OSError) as exc:
        logger.warning("Broker unreachable, %s not enqueued: %s", task.name, exc)
        if broker is not None:
            broker.failure(exc)
        return False
    if broker is not None:
        broker.success()
    return True


def enqueue_on_commit(task: Task, *args: Any, **kwargs: Any) -> None:
    """Publish ``task`` once the surrounding transaction commits, never before.

    A rolled-back transaction publishes nothing, so a worker never sees a row
    that does not exist.
    """
    transaction.on_commit(lambda: enqueue(task, *args, **kwargs))


def enqueue_on_commit_after(seconds: int, task: Task, *args: Any, **kwargs: Any) -> None:
    """Publish ``task`` to run ``seconds`` after the surrounding transaction commits.

    For work that may still be called off (a notice a moderator can undo): the
    task itself checks, when it runs, that there is still something to do.
    """
    transaction.on_commit(lambda: _publish(task, args, kwargs, countdown=seconds or None))


@shared_task
def clear_expired_sessions() -> None:
    call_command("clearsessions")


@shared_task
def ping(key: str, value: str) -> str:
    """Write ``value`` under ``key`` in the cache: a round trip a test can observe."""
    from django.core.cache import cache

    cache.set(key, value, timeout=300)
    return value
