"""Celery tasks: deliver one outbox row, sweep stragglers, send summary emails.

Tasks take ids, never objects, and every one of them is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Iterable

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.db import transaction
from django.utils import timezone
from kombu.exceptions import OperationalError

from core.tasks import enqueue_on_commit
from notifications import conf, delivery, digests
from notifications.models import Notification

logger = logging.getLogger(__name__)


class DeliveryTask(DjangoTask):
    """Routes to ``NOTIFICATIONS_QUEUE`` when one is set, so deliveries can have their own workers."""

    def apply_async(self, args=None, kwargs=None, **options):
        queue = conf.queue()
        if queue and "queue" not in options and "routing_key" not in options:
            options["queue"] = queue
        return super().apply_async(args, kwargs, **options)


@shared_task(bind=True, base=DeliveryTask, max_retries=None, acks_late=True)
def deliver_notification(self, notification_id: int) -> str:
    """Send one row; on a gateway error retry later with exponential back-off."""
    outcome = delivery.deliver(notification_id)
    if outcome.result == delivery.RETRY:
        try:
            raise self.retry(countdown=outcome.retry_in)
        except (OperationalError, ConnectionError, OSError) as exc:
            # The row stays pending with its next attempt time: the sweep will publish it.
            logger.warning("Could not schedule the retry of notification %s: %s", notification_id, exc)
    return outcome.result


def publish(notification_ids: Iterable[int]) -> None:
    """Deliver these outbox rows once the current transaction commits (the sweep covers a lost publish)."""
    for notification_id in notification_ids:
        enqueue_on_commit(deliver_notification, notification_id)


@transaction.atomic
def sweep(*, now: dt.datetime | None = None) -> int:
    """Publish again the pending rows whose delivery is overdue; return how many.

    Each picked row's ``next_attempt_at`` moves to now, so the next sweep
    leaves it alone for another grace period while its task is queued.
    """
    now = now or timezone.now()
    ids = list(
        Notification.objects.due_for_sweep(now=now, grace=conf.sweep_after())
        .order_by("next_attempt_at", "id")
        .select_for_update(skip_locked=True)
        .values_list("pk", flat=True)[: conf.sweep_batch()]
    )
    if ids:
        Notification.objects.filter(pk__in=ids).update(next_attempt_at=now)
        publish(ids)
    return len(ids)


@shared_task(base=DeliveryTask)
def sweep_pending() -> int:
    """Publish again what a broker or gateway outage left pending."""
    return sweep()


@shared_task
def send_digests(frequency: str = "daily", today: str | None = None) -> int:
    """Daily or weekly summary emails; ``today`` (ISO date) picks the period, default the local date."""
    day = dt.date.fromisoformat(today) if today else None
    built = digests.build_digests(frequency=frequency, today=day)
    publish(built)
    return len(built)
