"""Staff announcements: write one, hold it for a system administrator when its SMS would cost much, send it.

An announcement goes to the followers and/or residents of a district or of one
of its neighbourhoods (``selectors.audience_of``), each person once. Its
notification rows (the outbox) are written after the commit by a Celery task
(``tasks.send_announcement``), in batches, and never twice.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core import ratelimit
from core.audit import log_action
from core.persian import format_number
from core.tasks import enqueue_on_commit
from neighborhoods import events
from neighborhoods.models import Announcement, AnnouncementStatus
from neighborhoods.permissions import can_announce_in, can_decide_announcement
from neighborhoods.selectors import audience_of
from neighborhoods.tasks import send_announcement
from notifications.events import Channel
from notifications.services import count_recipients
from places.models import CityParticipationSettings, District, Neighborhood

RATE_SCOPE = "staff_announcement"


def _rate_message() -> str:
    limit = settings.RATE_LIMITS[RATE_SCOPE][0]
    return _("You may send at most %(count)s announcements an hour. Please try again later.") % {
        "count": format_number(limit)
    }


def check_announcement(*, actor: User, announcement: Announcement) -> None:
    """Raise unless ``actor`` may announce to this place now; writes nothing (the admin form asks it too)."""
    if announcement.neighborhood_id and not announcement.district_id:
        announcement.district_id = announcement.neighborhood.district_id
    if not can_announce_in(actor, announcement.district_id):
        raise PermissionDenied(_("You may send announcements only in the districts you serve."))
    if not ratelimit.would_pass(RATE_SCOPE, f"user:{actor.pk}"):
        raise ValidationError(_rate_message(), code="rate_limited")


@transaction.atomic
def announcement_create(
    *,
    actor: User,
    audience: str,
    title: str,
    body: str,
    district: District | None = None,
    neighborhood: Neighborhood | None = None,
) -> Announcement:
    """Write an announcement and send it, or hold it for approval when it would SMS more people than the city allows.

    The SMS count uses the recipients' own channel choices, by the rule the outbox writes with.
    """
    if neighborhood is not None:
        district = neighborhood.district
    announcement = Announcement(
        district=district,
        neighborhood=neighborhood,
        audience=audience,
        title=" ".join(title.split()),
        body=body.strip(),
        author=actor,
        created_at=timezone.now(),
    )
    if district is None:
        raise ValidationError({"district": _("Choose a district or a neighbourhood.")})
    check_announcement(actor=actor, announcement=announcement)
    announcement.status = AnnouncementStatus.SENT
    announcement.full_clean()
    if not ratelimit.hit(RATE_SCOPE, f"user:{actor.pk}"):
        raise ValidationError(_rate_message(), code="rate_limited")
    people, sms = count_recipients(
        event=events.STAFF_ANNOUNCEMENT, recipients=audience_of(announcement), channel=Channel.SMS, actor=actor
    )
    announcement.recipient_count, announcement.sms_count = people, sms
    threshold = CityParticipationSettings.for_city(district.city_id).announcement_sms_approval_threshold
    if sms > threshold:
        announcement.status = AnnouncementStatus.AWAITING_APPROVAL
    else:
        announcement.published_at = announcement.created_at
    announcement.save()
    log_action(
        actor=actor,
        action="announcement.created",
        target=announcement,
        changes={"status": announcement.status, "recipients": people, "sms": sms, "threshold": threshold},
    )
    if announcement.status == AnnouncementStatus.SENT:
        _schedule(announcement)
    return announcement


def _locked(announcement: Announcement) -> Announcement:
    return Announcement.objects.select_for_update(of=("self",)).select_related("district").get(pk=announcement.pk)


@transaction.atomic
def announcement_approve(*, actor: User, announcement: Announcement) -> Announcement:
    """A system administrator lets a held announcement go out; it is sent after the commit."""
    announcement = _locked(announcement)
    if not can_decide_announcement(actor, announcement):
        raise PermissionDenied(_("Only a system administrator of the city may approve announcements."))
    if announcement.status != AnnouncementStatus.AWAITING_APPROVAL:
        raise ValidationError(_("This announcement is not awaiting approval."), code="not_awaiting")
    now = timezone.now()
    announcement.status, announcement.published_at, announcement.decided_by = AnnouncementStatus.SENT, now, actor
    announcement.save(update_fields=["status", "published_at", "decided_by"])
    log_action(actor=actor, action="announcement.approved", target=announcement)
    _schedule(announcement)
    return announcement


@transaction.atomic
def announcement_reject(*, actor: User, announcement: Announcement, note: str = "") -> Announcement:
    """A system administrator refuses a held announcement: nothing is sent, the row stays on record."""
    announcement = _locked(announcement)
    if not can_decide_announcement(actor, announcement):
        raise PermissionDenied(_("Only a system administrator of the city may reject announcements."))
    if announcement.status != AnnouncementStatus.AWAITING_APPROVAL:
        raise ValidationError(_("This announcement is not awaiting approval."), code="not_awaiting")
    announcement.status, announcement.decided_by = AnnouncementStatus.REJECTED, actor
    announcement.decision_note = note.strip()
    announcement.full_clean()
    announcement.save(update_fields=["status", "decided_by", "decision_note"])
    log_action(actor=actor, action="announcement.rejected", target=announcement, note=announcement.decision_note)
    return announcement


def _schedule(announcement: Announcement) -> None:
    enqueue_on_commit(send_announcement, announcement.pk)
