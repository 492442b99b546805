"""Celery tasks: deliver one outbox row, sweep stragglers, send summary emails.

Tasks take ids, never objects, and every one of them is safe to run twice.
"""

from __future__ import annotations

import datetime as dt
import logging

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from kombu.exceptions import OperationalError

from notifications import conf, delivery, digests

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


@shared_task(base=DeliveryTask)
def sweep_pending() -> int:
    """Publish again what a broker or gateway outage left pending."""
    return delivery.sweep()


@shared_task
def send_digests(frequency: str = "daily", today: str | None = None) -> int:
    """Daily or weekly summary emails; ``today`` (ISO date) picks the period, default the local date."""
    day = dt.date.fromisoformat(today) if today else None
    return digests.send_digests(frequency=frequency, today=day)
