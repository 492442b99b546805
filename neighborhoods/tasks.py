"""Celery tasks of the neighbourhoods app: writing an announcement's notifications (the outbox rows).

The rows of one announcement are written once: the task locks the
announcement and stops when ``delivered_at`` is set, and every row carries
the announcement's dedupe key, which the outbox's unique constraint keeps to
one per person and channel.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.utils import timezone

from neighborhoods import events
from neighborhoods.models import Announcement, AnnouncementStatus
from neighborhoods.selectors import audience_of
from notifications.services import notify
from notifications.tasks import DeliveryTask


# On the notifications queue (and NOTIFICATIONS_QUEUE when set): it writes notices, like the deliveries.
@shared_task(base=DeliveryTask, acks_late=True)
def send_announcement(announcement_id: int) -> int:
    """Write the outbox rows of a sent announcement; safe to run twice (the second run writes nothing)."""
    return fan_out(announcement_id)


@transaction.atomic
def fan_out(announcement_id: int) -> int:
    """Write the announcement's notification rows once; return how many people they are for.

    Run by the Celery task; a second run (a task published twice, a retry)
    finds ``delivered_at`` set under the row lock and writes nothing.
    """
    announcement = (
        Announcement.objects.select_for_update(of=("self",))
        .select_related("district", "neighborhood", "author")
        .filter(pk=announcement_id)
        .first()
    )
    if announcement is None or announcement.status != AnnouncementStatus.SENT or announcement.delivered_at:
        return 0
    rows = notify(
        event=events.STAFF_ANNOUNCEMENT,
        recipients=audience_of(announcement),
        target=announcement,
        context={"place": announcement.place.name, "title": announcement.title, "text": announcement.body},
        actor=announcement.author,
        dedupe_key=f"announcement:{announcement.pk}",
    )
    announcement.recipient_count = len({row.recipient_id for row in rows})
    announcement.delivered_at = timezone.now()
    announcement.save(update_fields=["recipient_count", "delivered_at"])
    return announcement.recipient_count
