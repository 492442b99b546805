"""Delivering one outbox row exactly once, and the sweep that finds stragglers.

A send is bracketed by two short transactions. The first locks the row,
checks it is still pending and unclaimed, and takes a lease (``claimed_until``
plus a random ``claim_token``); the second records the outcome. Whoever holds
the lease is the only one sending, so a task published twice (by the service
and again by the sweep) or run by two workers sends once. Nothing holds a
database lock while talking to a mail server or gateway.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from core import metrics
from core.sms import DeliveryError
from notifications import channels, conf
from notifications.events import Channel
from notifications.models import Notification, Status

logger = logging.getLogger(__name__)

SENT, SKIPPED, RETRY, FAILED = "sent", "skipped", "retry", "failed"


@dataclass(frozen=True)
class Outcome:
    result: str
    retry_in: int | None = None


def deliver(notification_id: int) -> Outcome:
    """Send the row if it is still due; say whether to retry and when."""
    token = _claim(notification_id)
    if token is None:
        return Outcome(SKIPPED)
    notification = Notification.objects.select_related("recipient").get(pk=notification_id)
    try:
        channels.send(notification)
    except DeliveryError as exc:
        outcome = _record_failure(notification_id, token, exc)
    except Exception as exc:  # noqa: BLE001 - an unexpected error is retried like a gateway error
        logger.exception("Unexpected error delivering notification %s", notification_id)
        outcome = _record_failure(notification_id, token, DeliveryError(f"{type(exc).__name__}: {exc}"))
    else:
        _record_success(notification_id, token)
        outcome = Outcome(SENT)
    if outcome.result != SKIPPED:  # skipped: another worker took the row over and counts it
        metrics.count_delivery(notification.channel, outcome.result)
    return outcome


@transaction.atomic
def _claim(notification_id: int) -> uuid.UUID | None:
    """Take the lease on a pending row, or None when it is sent, failed, held or being sent."""
    row = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if row is None or row.status != Status.PENDING:
        return None
    now = timezone.now()
    if row.claimed_until is not None and row.claimed_until > now:
        return None
    if row.channel == Channel.IN_APP:
        row.status, row.sent_at = Status.SENT, now
        row.save(update_fields=["status", "sent_at"])
        return None
    row.claim_token = uuid.uuid4()
    row.claimed_until = now + conf.lease()
    row.attempts += 1
    row.save(update_fields=["claim_token", "claimed_until", "attempts"])
    return row.claim_token


@transaction.atomic
def _record_success(notification_id: int, token: uuid.UUID) -> None:
    row = Notification.objects.select_for_update().get(pk=notification_id)
    if row.claim_token != token:
        # Our lease ran out mid-send and someone else took over: the message went out anyway.
        logger.warning("Notification %s was sent after its lease expired", notification_id)
    if row.status == Status.PENDING:
        row.status, row.sent_at = Status.SENT, timezone.now()
        row.last_error = ""
    row.claimed_until = row.claim_token = None
    row.save(update_fields=["status", "sent_at", "last_error", "claimed_until", "claim_token"])


@transaction.atomic
def _record_failure(notification_id: int, token: uuid.UUID, error: DeliveryError) -> Outcome:
    row = Notification.objects.select_for_update().get(pk=notification_id)
    if row.status != Status.PENDING or row.claim_token != token:
        return Outcome(SKIPPED)
    row.last_error = str(error)[:2000]
    row.claimed_until = row.claim_token = None
    fields = ["last_error", "claimed_until", "claim_token", "status", "next_attempt_at"]
    if not error.transient or row.attempts >= conf.max_attempts():
        row.status = Status.FAILED
        row.save(update_fields=fields)
        logger.warning("Notification %s failed after %s attempts: %s", notification_id, row.attempts, error)
        return Outcome(FAILED)
    wait = conf.retry_backoff(row.attempts)
    row.next_attempt_at = timezone.now() + dt.timedelta(seconds=wait)
    row.save(update_fields=fields)
    logger.info("Notification %s attempt %s failed, retry in %ss: %s", notification_id, row.attempts, wait, error)
    return Outcome(RETRY, retry_in=wait)
