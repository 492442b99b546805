"""Summary emails: one per user per period, repeats about one object grouped."""

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from django.utils.html import escape

from notifications.digests import period
from notifications.events import DIGEST, Channel
from notifications.models import DigestFrequency, DigestRun, Notification, Status
from notifications.services import notify, preferences_update
from notifications.tasks import send_digests
from tests import factories

TODAY = dt.date(2026, 5, 14)  # a Thursday


def at(day: dt.date, hour: int) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour)))


@pytest.fixture
def daily_reader(recipient):
    factories.NotificationSettingsFactory(user=recipient, digest=DigestFrequency.DAILY)
    return recipient


def phase_change(user, target, phase, when, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify(
            event="project_phase_changed",
            recipients=[user],
            target=target,
            context={"project": "پارک", "phase": phase},
            url="/projects/1/",
        )
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(created_at=when)


@pytest.mark.django_db
def test_digestible_email_is_held_and_urgent_email_is_not(daily_reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        held = notify(event="comment_rejected", recipients=[daily_reader], context={"project": "پارک", "reason": "—"})
        urgent = notify(event="organization_verified", recipients=[daily_reader], context={"organization": "سمن"})
    emails = Notification.objects.filter(channel=Channel.EMAIL)
    assert set(emails.filter(pk__in=[row.pk for row in held]).values_list("status", flat=True)) == {Status.HELD}
    assert set(emails.filter(pk__in=[row.pk for row in urgent]).values_list("status", flat=True)) == {Status.SENT}
    assert [m.subject for m in mail.outbox] == ["«سمن» تأیید شد"]


@pytest.mark.django_db
def test_running_the_digest_twice_for_one_day_sends_one_email(
    daily_reader, neighborhood, django_capture_on_commit_callbacks
):
    yesterday = TODAY - dt.timedelta(days=1)
    park, school = factories.UserFactory(), neighborhood  # the park's name is hostile text
    phase_change(daily_reader, park, "در حال اجرا", at(yesterday, 9), django_capture_on_commit_callbacks)
    phase_change(daily_reader, park, "تکمیل‌شده", at(yesterday, 15), django_capture_on_commit_callbacks)
    phase_change(daily_reader, park, "بررسی", at(yesterday, 18), django_capture_on_commit_callbacks)
    phase_change(daily_reader, school, "تصویب‌شده", at(yesterday, 11), django_capture_on_commit_callbacks)
    phase_change(daily_reader, school, "امروزی", at(TODAY, 1), django_capture_on_commit_callbacks)  # next period
    assert mail.outbox == []

    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.apply(kwargs={"frequency": "daily", "today": TODAY.isoformat()}).get() == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.apply(kwargs={"frequency": "daily", "today": TODAY.isoformat()}).get() == 0

    [message] = mail.outbox
    assert message.subject == "خلاصهٔ درگاه مشارکت شهروندی، اعلان‌های تازه: ۴"
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html
    # Three changes to the park are one group, under the park's name once, with a count.
    assert html.count(escape(str(park))) == 1 and "(۳)" in html
    assert "<script>" not in html
    assert "/notifications/unsubscribe/" in message.body
    digest = Notification.objects.get(event=DIGEST)
    assert digest.status == Status.SENT
    assert digest.folded.count() == 4
    assert Notification.objects.filter(status=Status.HELD).count() == 1  # today's waits for tomorrow
    assert DigestRun.objects.get().notification == digest


@pytest.mark.django_db
def test_nothing_held_means_no_email_and_no_run(daily_reader):
    assert send_digests.apply(kwargs={"frequency": "daily", "today": TODAY.isoformat()}).get() == 0
    assert mail.outbox == [] and not DigestRun.objects.exists()


@pytest.mark.django_db
def test_weekly_readers_are_not_in_the_daily_run(recipient, django_capture_on_commit_callbacks):
    factories.NotificationSettingsFactory(user=recipient, digest=DigestFrequency.WEEKLY)
    phase_change(recipient, recipient, "اجرا", at(TODAY - dt.timedelta(days=3), 9), django_capture_on_commit_callbacks)
    assert send_digests.apply(kwargs={"frequency": "daily", "today": TODAY.isoformat()}).get() == 0
    saturday = dt.date(2026, 5, 16)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_digests.apply(kwargs={"frequency": "weekly", "today": saturday.isoformat()}).get() == 1
        # Run again later in the same week: the same period, nothing new.
        assert send_digests.apply(kwargs={"frequency": "weekly", "today": "2026-05-19"}).get() == 0
    assert len(mail.outbox) == 1


def test_periods():
    assert period("daily", TODAY) == (dt.date(2026, 5, 13), TODAY)
    saturday = dt.date(2026, 5, 16)
    for day in range(7):
        assert period("weekly", saturday + dt.timedelta(days=day)) == (dt.date(2026, 5, 9), saturday)


@pytest.mark.django_db
def test_switching_back_to_immediate_sends_what_was_held(daily_reader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(event="comment_rejected", recipients=[daily_reader], context={"project": "پارک", "reason": "—"})
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        preferences_update(user=daily_reader, choices={}, digest=DigestFrequency.IMMEDIATE)
    assert len(mail.outbox) == 1
    assert not Notification.objects.filter(status=Status.HELD).exists()
