"""The outbox on /metrics: the backlog gauges follow the table as notifications are queued and delivered."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from notifications.delivery import deliver
from notifications.events import Channel
from notifications.models import Notification, Status
from notifications.services import notify
from tests.metrics import TOKEN, scrape, value

REPLY = {"actor": "مریم", "project": "پارک محله", "excerpt": "موافقم"}


@pytest.fixture(autouse=True)
def _token(settings):
    settings.METRICS_TOKEN = TOKEN


def _backlog(client) -> tuple[float, float]:
    text = scrape(client)
    return value(text, "civic_notifications_pending"), value(text, "civic_notifications_oldest_pending_age_seconds")


def _sent(client, channel: str) -> float:
    return value(scrape(client), "civic_notification_deliveries_total", channel=channel, outcome="sent")


@pytest.mark.django_db
def test_outbox_gauges_move_when_notifications_are_queued_and_delivered(client, recipient):
    assert _backlog(client) == (0, 0)
    sent_before = _sent(client, Channel.EMAIL)

    rows = notify(event="comment_replied", recipients=[recipient], context=REPLY, url="/projects/7/")
    email = next(row for row in rows if row.channel == Channel.EMAIL)
    # Written a quarter of an hour ago, as a row the workers have not reached yet would be.
    Notification.objects.filter(pk=email.pk).update(created_at=timezone.now() - dt.timedelta(minutes=15))
    pending, age = _backlog(client)
    assert pending == 1  # the in-app row is the message itself: never pending
    assert 900 <= age < 960

    deliver(email.pk)
    assert Notification.objects.get(pk=email.pk).status == Status.SENT
    assert _backlog(client) == (0, 0)
    assert _sent(client, Channel.EMAIL) == sent_before + 1


@pytest.mark.django_db
def test_a_failed_delivery_is_counted_as_failed(client, recipient):
    def failed() -> float:
        return value(scrape(client), "civic_notification_deliveries_total", channel=Channel.EMAIL, outcome="failed")

    before = failed()
    rows = notify(event="comment_replied", recipients=[recipient], context=REPLY, url="/projects/7/")
    email = next(row for row in rows if row.channel == Channel.EMAIL)
    type(recipient).objects.filter(pk=recipient.pk).update(email=None)  # the address is gone before the send
    deliver(email.pk)
    assert Notification.objects.get(pk=email.pk).status == Status.FAILED
    assert failed() == before + 1
    assert _backlog(client) == (0, 0)
