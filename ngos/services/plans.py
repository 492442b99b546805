"""Plans organisations submit to the municipality, and the meetings held for them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import log_action
from ngos import permissions
from ngos.models import Meeting, MeetingRsvp, Organization, OrganizationStatus, Plan, PlanStatus, RsvpResponse
from notifications.services import notify
from places.models import City, District, Neighborhood

# status → the statuses a reviewer may move a plan to from there.
REVIEW_MOVES: dict[str, set[str]] = {
    PlanStatus.SUBMITTED: {PlanStatus.UNDER_REVIEW, PlanStatus.ACCEPTED, PlanStatus.RETURNED},
    PlanStatus.UNDER_REVIEW: {PlanStatus.ACCEPTED, PlanStatus.RETURNED},
}


def _check_plan(
    organization: Organization, title: str, neighborhoods: list[Neighborhood], estimated_budget: int
) -> None:
    errors: dict[str, str] = {}
    if not title.strip():
        errors["title"] = _("This field is required.")
    if not neighborhoods:
        errors["target_neighborhoods"] = _("Choose at least one neighbourhood.")
    elif District.objects.filter(pk__in={n.district_id for n in neighborhoods}).exclude(city_id=organization.city_id):
        errors["target_neighborhoods"] = _("Choose neighbourhoods of the organisation's city.")
    if estimated_budget is None or estimated_budget < 0:
        errors["estimated_budget"] = _("Enter a budget of zero or more.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def plan_submit(
    *,
    actor: User,
    organization: Organization,
    title: str,
    description: str,
    target_neighborhoods: Iterable[Neighborhood],
    estimated_budget: int,
    attachment=None,
) -> Plan:
    """A verified organisation's manager proposes a plan to the municipality."""
    if not permissions.can_submit_plan(actor, organization):
        raise PermissionDenied
    neighborhoods = list(target_neighborhoods)
    _check_plan(organization, title, neighborhoods, estimated_budget)
    plan = Plan.objects.create(
        organization=organization,
        title=title.strip(),
        description=description.strip(),
        estimated_budget=estimated_budget,
        attachment=attachment or "",
        submitted_by=actor,
    )
    plan.target_neighborhoods.set(neighborhoods)
    log_action(actor=actor, action="plan.submitted", target=plan)
    return plan


@transaction.atomic
def plan_resubmit(
    *,
    actor: User,
    plan: Plan,
    title: str,
    description: str,
    target_neighborhoods: Iterable[Neighborhood],
    estimated_budget: int,
    attachment=None,
) -> Plan:
    """After a return, the manager edits the plan and sends it in again."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    if not permissions.can_resubmit_plan(actor, plan):
        raise PermissionDenied
    neighborhoods = list(target_neighborhoods)
    _check_plan(plan.organization, title, neighborhoods, estimated_budget)
    plan.title, plan.description, plan.estimated_budget = title.strip(), description.strip(), estimated_budget
    if attachment:
        plan.attachment = attachment
    plan.status = PlanStatus.SUBMITTED
    plan.save()
    plan.target_neighborhoods.set(neighborhoods)
    log_action(actor=actor, action="plan.resubmitted", target=plan, changes={"status": ["returned", "submitted"]})
    return plan


@transaction.atomic
def plan_review(*, actor: User, plan: Plan, decision: str, comment: str = "") -> Plan:
    """Staff take a plan under review, accept it, or return it with a comment."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    if not permissions.can_review_plan(actor, plan):
        raise PermissionDenied
    if decision not in REVIEW_MOVES.get(plan.status, set()):
        raise ValidationError(
            {"decision": _("This plan cannot be moved to “%(status)s” now.") % {"status": PlanStatus(decision).label}}
            if decision in PlanStatus.values
            else {"decision": _("Unknown decision.")}
        )
    comment = (comment or "").strip()
    if decision == PlanStatus.RETURNED and not comment:
        raise ValidationError({"comment": _("Say what should change; the organisation will see it.")})
    previous = plan.status
    plan.status = decision
    plan.review_comment = comment
    plan.reviewed_by = actor
    plan.reviewed_at = timezone.now()
    plan.save(update_fields=["status", "review_comment", "reviewed_by", "reviewed_at", "updated_at"])
    log_action(
        actor=actor, action=f"plan.{decision}", target=plan, note=comment, changes={"status": [previous, decision]}
    )
    notify(
        event="plan_reviewed",
        recipients=User.objects.filter(ngo_memberships__organization_id=plan.organization_id),
        target=plan,
        context={"plan": plan.title, "status": plan.get_status_display(), "comment": comment},
        url=reverse("ngos:plan_detail", args=[plan.pk]),
        actor=actor,
    )
    return plan


# --- meetings -------------------------------------------------------------------
def _meeting_invitees(meeting: Meeting) -> QuerySet[User]:
    """Managers of the verified organisations the meeting is for (as ``can_rsvp`` decides), in one query."""
    scope = {
        "ngo_memberships__organization__city_id": meeting.city_id,
        "ngo_memberships__organization__status": OrganizationStatus.VERIFIED,
    }
    if meeting.district_id is not None:
        scope["ngo_memberships__organization__districts"] = meeting.district_id
    return User.objects.filter(**scope).distinct()


@transaction.atomic
def meeting_schedule(
    *,
    actor: User,
    city: City,
    district: District | None,
    title: str,
    starts_at: dt.datetime,
    place: str,
    agenda: str,
) -> Meeting:
    """Staff schedule an experience-sharing meeting for the organisations of a district or city."""
    if not permissions.can_schedule_meeting(actor, city=city, district=district):
        raise PermissionDenied
    if starts_at <= timezone.now():
        raise ValidationError({"starts_at": _("Choose a time in the future.")})
    meeting = Meeting(
        city=city,
        district=district,
        title=title.strip(),
        starts_at=starts_at,
        place=place.strip(),
        agenda=agenda.strip(),
        created_by=actor,
    )
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    log_action(actor=actor, action="meeting.scheduled", target=meeting)
    notify(
        event="meeting_scheduled",
        recipients=_meeting_invitees(meeting),
        target=meeting,
        context={"meeting": meeting.title, "starts_at": meeting.starts_at, "place": meeting.place},
        url=reverse("ngos:meeting_detail", args=[meeting.pk]),
        actor=actor,
    )
    return meeting


@transaction.atomic
def meeting_rsvp(*, actor: User, meeting: Meeting, organization: Organization, response: str) -> MeetingRsvp:
    """A manager tells the organisers whether their organisation will attend."""
    if response not in RsvpResponse.values:
        raise ValidationError({"response": _("Choose an answer.")})
    if not permissions.can_rsvp(actor, meeting, organization):
        raise PermissionDenied
    rsvp, _created = MeetingRsvp.objects.update_or_create(
        meeting=meeting, organization=organization, defaults={"response": response, "responded_by": actor}
    )
    return rsvp


@transaction.atomic
def meeting_publish_minutes(*, actor: User, meeting: Meeting, minutes: str) -> Meeting:
    """After the meeting, staff publish what was said and decided."""
    meeting = Meeting.objects.select_for_update(of=("self",)).select_related("city", "district").get(pk=meeting.pk)
    if not permissions.can_publish_minutes(actor, meeting):
        raise PermissionDenied
    minutes = (minutes or "").strip()
    if not minutes:
        raise ValidationError({"minutes": _("This field is required.")})
    if meeting.starts_at > timezone.now():
        raise ValidationError({"minutes": _("Minutes can be published once the meeting has started.")})
    meeting.minutes = minutes
    meeting.minutes_published_at = timezone.now()
    meeting.save(update_fields=["minutes", "minutes_published_at"])
    log_action(actor=actor, action="meeting.minutes_published", target=meeting)
    notify(
        event="meeting_minutes_published",
        recipients=_meeting_invitees(meeting),
        target=meeting,
        context={"meeting": meeting.title},
        url=reverse("ngos:meeting_detail", args=[meeting.pk]),
        actor=actor,
    )
    return meeting
