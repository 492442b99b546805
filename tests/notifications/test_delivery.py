"""Delivery: lease, retries with back-off, gateway errors and timeouts, the sweep."""

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from core.sms import ConsoleSmsGateway
from notifications import delivery, tasks
from notifications.events import Channel
from notifications.models import Notification, Status
from notifications.services import notifications_retry
from notifications.tasks import deliver_notification, sweep_pending
from tests import factories


def outbox_row(user, channel=Channel.EMAIL, **extra):
    extra.setdefault("status", Status.PENDING)
    return factories.NotificationFactory(
        recipient=user, channel=channel, sent_at=None, event="comment_approved", **extra
    )


@pytest.fixture
def phone_user(db):
    return factories.UserFactory(phone="+989121234567")


# --- email -------------------------------------------------------------------------------
@pytest.mark.django_db
def test_email_is_persian_text_and_rtl_html_with_escaped_user_text(recipient):
    row = outbox_row(recipient)
    assert delivery.deliver(row.pk).result == delivery.SENT
    [message] = mail.outbox
    assert message.subject == row.subject and message.to == ["reader@example.org"]
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert 'dir="rtl"' in html and 'lang="fa"' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    assert "<script>alert(1)</script>" in message.body  # plain text stays as written
    assert "مشاهده در درگاه: http://" in message.body
    assert "/notifications/unsubscribe/" in message.body and "/notifications/unsubscribe/" in html
    assert message.extra_headers["List-Unsubscribe"].startswith("<http")
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    row.refresh_from_db()
    assert (row.status, row.attempts, row.claim_token) == (Status.SENT, 1, None)


@pytest.mark.django_db
def test_a_sent_row_is_never_sent_again(recipient):
    row = outbox_row(recipient)
    deliver_notification.apply(args=[row.pk])
    deliver_notification.apply(args=[row.pk])
    assert delivery.deliver(row.pk).result == delivery.SKIPPED
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_a_claimed_row_is_left_to_its_claimant(recipient):
    row = outbox_row(recipient, claimed_until=timezone.now() + dt.timedelta(minutes=5))
    assert delivery.deliver(row.pk).result == delivery.SKIPPED
    assert tasks.sweep(now=timezone.now() + dt.timedelta(minutes=4)) == 0
    assert mail.outbox == []
    # A claim that ran out (its worker died) is taken over.
    Notification.objects.filter(pk=row.pk).update(claimed_until=timezone.now() - dt.timedelta(seconds=1))
    assert delivery.deliver(row.pk).result == delivery.SENT


@pytest.mark.django_db
def test_no_address_fails_at_once(db):
    user = factories.UserFactory(email=None)
    row = outbox_row(user)
    assert delivery.deliver(row.pk).result == delivery.FAILED
    row.refresh_from_db()
    assert row.status == Status.FAILED and row.attempts == 1 and "email" in row.last_error


# --- SMS against a local HTTP gateway --------------------------------------------------------
@pytest.mark.django_db
def test_sms_request_carries_key_number_text_and_idempotency_key(sms_gateway, phone_user):
    row = outbox_row(phone_user, channel=Channel.SMS, body="متن پیامک")
    assert delivery.deliver(row.pk).result == delivery.SENT
    [request] = sms_gateway.requests
    assert request["json"] == {"to": "+989121234567", "text": "متن پیامک", "reference": f"notification-{row.pk}"}
    assert request["headers"]["Authorization"] == "Bearer test-gateway-key"
    assert request["headers"]["Idempotency-Key"] == f"notification-{row.pk}"


@pytest.mark.django_db
def test_gateway_failing_twice_then_succeeding_delivers_once(sms_gateway, phone_user, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 5
    sms_gateway.plan = [503, 500, 200]
    row = outbox_row(phone_user, channel=Channel.SMS)
    deliver_notification.apply(args=[row.pk])  # eager: Celery runs the retries inline
    assert len(sms_gateway.requests) == 3
    assert len(sms_gateway.accepted_messages()) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts, row.last_error) == (Status.SENT, 3, "")
    # Anything later (a duplicate task, the sweep) leaves it alone.
    deliver_notification.apply(args=[row.pk])
    assert tasks.sweep(now=timezone.now() + dt.timedelta(hours=1)) == 0
    assert len(sms_gateway.requests) == 3


@pytest.mark.django_db
def test_back_off_grows_exponentially(sms_gateway, phone_user, settings):
    settings.NOTIFICATIONS_RETRY_BACKOFF = 60
    sms_gateway.plan = [500, 429, 200]
    row = outbox_row(phone_user, channel=Channel.SMS)
    before = timezone.now()
    assert delivery.deliver(row.pk) == delivery.Outcome(delivery.RETRY, retry_in=60)
    row.refresh_from_db()
    assert row.status == Status.PENDING and row.claimed_until is None
    assert before + dt.timedelta(seconds=59) < row.next_attempt_at < timezone.now() + dt.timedelta(seconds=61)
    assert "HTTP 500" in row.last_error
    assert delivery.deliver(row.pk) == delivery.Outcome(delivery.RETRY, retry_in=120)
    assert delivery.deliver(row.pk) == delivery.Outcome(delivery.SENT)


@pytest.mark.django_db
def test_gateway_that_always_fails_ends_failed_after_the_limit(sms_gateway, phone_user, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 4
    sms_gateway.plan = [502]
    row = outbox_row(phone_user, channel=Channel.SMS)
    deliver_notification.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 4)
    assert "HTTP 502" in row.last_error
    assert len(sms_gateway.requests) == 4 and sms_gateway.accepted_messages() == []
    # Failed rows are not swept; staff retry them on purpose.
    assert tasks.sweep(now=timezone.now() + dt.timedelta(days=1)) == 0
    sms_gateway.plan = [200]
    assert notifications_retry(notifications=Notification.objects.all()) == 1
    deliver_notification.apply(args=[row.pk])
    row.refresh_from_db()
    assert row.status == Status.SENT and len(sms_gateway.accepted_messages()) == 1


@pytest.mark.django_db
def test_gateway_timeout_is_retried(sms_gateway, phone_user, settings):
    settings.SMS_GATEWAY_TIMEOUT = 0.3
    sms_gateway.plan = [(200, 1.0), 200]
    row = outbox_row(phone_user, channel=Channel.SMS)
    assert delivery.deliver(row.pk).result == delivery.RETRY
    row.refresh_from_db()
    assert "did not answer" in row.last_error or "timed out" in row.last_error
    assert delivery.deliver(row.pk).result == delivery.SENT
    first, second = sms_gateway.requests
    assert first["headers"]["Idempotency-Key"] == second["headers"]["Idempotency-Key"]


@pytest.mark.django_db
def test_gateway_refusal_fails_without_retrying(sms_gateway, phone_user):
    sms_gateway.plan = [400]
    row = outbox_row(phone_user, channel=Channel.SMS)
    deliver_notification.apply(args=[row.pk])
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.FAILED, 1)
    assert "refused" in row.last_error


@pytest.mark.django_db
def test_unreachable_gateway_is_retried(settings, phone_user):
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = "http://127.0.0.1:1/send"
    settings.SMS_GATEWAY_KEY = "k"
    row = outbox_row(phone_user, channel=Channel.SMS)
    assert delivery.deliver(row.pk).result == delivery.RETRY
    row.refresh_from_db()
    assert "unreachable" in row.last_error


def test_console_gateway_prints_the_message_without_its_codes_or_the_whole_number():
    import io

    stream = io.StringIO()
    ConsoleSmsGateway(stream).send(to="+989121234567", text="سلام؛ کد ورود: 482913 یا ۴۸۲۹۱۳", reference="otp-1")
    printed = stream.getvalue()
    assert "سلام؛ کد ورود" in printed and "otp-1" in printed
    assert "482913" not in printed and "۴۸۲۹۱۳" not in printed and "+989121234567" not in printed


# --- the sweep ----------------------------------------------------------------------------
@pytest.mark.django_db
def test_sweep_publishes_only_overdue_unclaimed_pending_rows(recipient, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 300
    now = timezone.now()
    overdue = outbox_row(recipient, next_attempt_at=now - dt.timedelta(minutes=10))
    fresh = outbox_row(recipient, next_attempt_at=now - dt.timedelta(minutes=1))
    outbox_row(recipient, next_attempt_at=now - dt.timedelta(minutes=10), status=Status.FAILED)
    outbox_row(recipient, next_attempt_at=now - dt.timedelta(minutes=10), status=Status.HELD)
    factories.NotificationFactory(recipient=recipient)  # an in-app row, already "sent"
    with django_capture_on_commit_callbacks(execute=True):
        assert sweep_pending.apply().get() == 1
    overdue.refresh_from_db()
    fresh.refresh_from_db()
    assert overdue.status == Status.SENT and fresh.status == Status.PENDING
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_sweep_does_not_republish_what_it_just_published(recipient, settings, django_capture_on_commit_callbacks):
    settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 300
    row = outbox_row(recipient, next_attempt_at=timezone.now() - dt.timedelta(minutes=10))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert tasks.sweep() == 1
        assert tasks.sweep() == 0  # its task is queued: leave it for another grace period
    assert len(callbacks) == 1
    row.refresh_from_db()
    assert row.status == Status.PENDING


# --- concurrency: the lease under real row locks --------------------------------------------------
@pytest.mark.django_db(transaction=True)
def test_two_workers_racing_for_one_row_send_once(sms_gateway, phone_user):
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")
    sms_gateway.plan = [(200, 0.5)]
    row = outbox_row(phone_user, channel=Channel.SMS)
    results = []
    barrier = threading.Barrier(3)

    def worker():
        from django.db import connection as thread_connection

        barrier.wait()
        try:
            results.append(delivery.deliver(row.pk).result)
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [delivery.SENT, delivery.SKIPPED, delivery.SKIPPED]
    assert len(sms_gateway.requests) == 1


def test_beat_runs_the_sweep_and_the_digests():
    from civic_portal import celery_app

    schedule = celery_app.conf.beat_schedule
    for name in ("notifications-sweep", "notifications-daily-digest", "notifications-weekly-digest"):
        assert schedule[name]["task"] in celery_app.tasks
    assert schedule["notifications-weekly-digest"]["kwargs"] == {"frequency": "weekly"}
