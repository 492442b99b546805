"""Summary emails: fold a period's held emails into one, grouped by what they are about.

Emails of digestible events for a user who chose a daily or weekly summary
are written with status ``held``. The beat task folds them into one digest
row per user per period; ``DigestRun``'s unique key makes a second run of the
task for the same period send nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone, translation

from notifications.events import DIGEST, Channel, get_event
from notifications.models import DigestFrequency, DigestRun, Notification, Status

SATURDAY = 5  # the Iranian week starts on Saturday


@dataclass
class DigestGroup:
    """Notifications about one object (a project, an organisation…), oldest first."""

    title: str
    link: str
    items: list[Notification] = field(default_factory=list)


def digest_groups(rows: list[Notification]) -> list[DigestGroup]:
    """Group rows by their target, in order of first appearance; rows without one stand alone."""
    groups: dict[tuple, DigestGroup] = {}
    for row in rows:
        key = (row.target_type_id, row.target_id) if row.target_id is not None else ("row", row.pk)
        group = groups.get(key)
        if group is None:
            group = groups[key] = DigestGroup(title=row.target_repr or row.subject, link=row.absolute_url())
        group.items.append(row)
    return list(groups.values())


def period(frequency: str, today: dt.date) -> tuple[dt.date, dt.date]:
    """The [start, end) dates a run on ``today`` covers: yesterday, or the last full week."""
    if frequency == DigestFrequency.DAILY:
        return today - dt.timedelta(days=1), today
    if frequency == DigestFrequency.WEEKLY:
        end = today - dt.timedelta(days=(today.weekday() - SATURDAY) % 7)
        return end - dt.timedelta(days=7), end
    raise ValueError(f"No summary period for {frequency!r}.")


def _start_of(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def users_due(*, frequency: str, today: dt.date) -> list[int]:
    """Users with held emails from before the period's end who chose this frequency."""
    _, end = period(frequency, today)
    return list(
        Notification.objects.filter(
            status=Status.HELD,
            channel=Channel.EMAIL,
            created_at__lt=_start_of(end),
            recipient__notification_settings__digest=frequency,
        )
        .order_by("recipient_id")
        .values_list("recipient_id", flat=True)
        .distinct()
    )


@transaction.atomic
def digest_build(*, user_id: int, frequency: str, today: dt.date) -> Notification | None:
    """Write this period's summary email for one user, once; None when already done or empty."""
    start, end = period(frequency, today)
    run, created = DigestRun.objects.get_or_create(
        user_id=user_id, frequency=frequency, period_start=start, defaults={"period_end": end}
    )
    if not created:
        return None
    rows = list(
        Notification.objects.select_for_update()
        .filter(recipient_id=user_id, channel=Channel.EMAIL, status=Status.HELD, created_at__lt=_start_of(end))
        .order_by("created_at", "id")
    )
    if not rows:
        return None
    with translation.override(settings.LANGUAGE_CODE):
        items = render_to_string("notifications/email/digest_items.txt", {"groups": digest_groups(rows)})
        subject, body = get_event(DIGEST).render({"count": len(rows), "items": items})
    digest = Notification.objects.create(
        recipient_id=user_id, event=DIGEST, channel=Channel.EMAIL, subject=subject, body=body
    )
    Notification.objects.filter(pk__in=[row.pk for row in rows]).update(status=Status.FOLDED, digest=digest)
    run.notification = digest
    run.save(update_fields=["notification"])
    return digest


def build_digests(*, frequency: str, today: dt.date | None = None) -> list[int]:
    """Build every due summary for the period; return the ids of the summary rows written (to publish)."""
    today = today or timezone.localdate()
    built = []
    for user_id in users_due(frequency=frequency, today=today):
        digest = digest_build(user_id=user_id, frequency=frequency, today=today)
        if digest is not None:
            built.append(digest.pk)
    return built
