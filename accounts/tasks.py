"""Sending one-time codes: their own task on their own queue, arguments kept out of logs and events."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from celery.contrib.django.task import DjangoTask
from django.conf import settings
from django.utils import timezone

from accounts.models import OneTimeCode
from core import metrics
from core.sms import DeliveryError, PermanentDeliveryError, get_sms_gateway

logger = logging.getLogger(__name__)

# Stands in for the arguments wherever Celery would show them (worker log records, events,
# `celery inspect`); it must not be empty, or Celery falls back to the real ones.
HIDDEN_ARGUMENTS = "('[hidden]',)"
# A code lives two minutes: a failed send is tried again soon, twice, and then not at all.
RETRY_SECONDS = 5
# Codes are kept this long after they were made: long enough for the hourly limits to count them.
KEEP_CODES = 24 * 3600


class Hidden(str):
    """A string whose repr hides it: run in-process (no REDIS_URL), Celery puts ``repr(args)`` in its
    log records instead of ``argsrepr``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "'[hidden]'"


class CodeTask(DjangoTask):
    """Publishes on ``OTP_QUEUE``, never shows its arguments, and is dropped once the code would have expired."""

    def apply_async(self, args=None, kwargs=None, **options):
        if "queue" not in options and "routing_key" not in options:
            options["queue"] = settings.OTP_QUEUE
        options["argsrepr"] = HIDDEN_ARGUMENTS
        options["kwargsrepr"] = "{}"
        options.setdefault("expires", settings.OTP_CODE_SECONDS)
        return super().apply_async(args, kwargs, **options)

    def apply(self, args=None, kwargs=None, **options):
        hidden = tuple(Hidden(value) if isinstance(value, str) else value for value in args or ())
        return super().apply(hidden, kwargs, **options)


@shared_task(bind=True, base=CodeTask, max_retries=2, acks_late=True, ignore_result=True)
def send_code(self, phone: str, text: str, reference: str) -> None:
    """Send one SMS holding a code. The text travels only in this task's arguments; nothing is returned or logged."""
    try:
        get_sms_gateway().send(to=phone, text=text, reference=reference)
    except PermanentDeliveryError as exc:
        metrics.count_otp_send("refused")
        logger.warning("One-time code %s was refused by the SMS gateway: %s", reference, exc)
    except DeliveryError as exc:
        if self.request.called_directly or self.request.retries >= self.max_retries:
            metrics.count_otp_send("failed")
            logger.warning("One-time code %s was not delivered: %s", reference, exc)
            return
        metrics.count_otp_send("retry")
        raise self.retry(countdown=RETRY_SECONDS, exc=exc) from None
    else:
        metrics.count_otp_send("sent")


@shared_task
def delete_old_codes() -> int:
    """Delete codes older than a day: used or not, they prove nothing any more."""
    deleted, _rows = OneTimeCode.objects.filter(created_at__lt=timezone.now() - timedelta(seconds=KEEP_CODES)).delete()
    return deleted
