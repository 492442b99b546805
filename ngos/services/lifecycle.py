"""The lifecycle of an organisation's profile.

draft → submitted → verified / rejected; submitted → draft (changes requested);
verified → suspended → verified; verified → submitted when a manager changes
the licence. Every move is checked against ``TRANSITIONS`` and recorded in
``StatusChange`` and the audit trail.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import log_action
from ngos import permissions
from ngos.models import LicenceStatus, Organization, OrganizationStatus, StatusChange, licence_status_for
from notifications.services import notify

S = OrganizationStatus
# (from, to) → audit action; anything else is refused.
TRANSITIONS: dict[tuple[str, str], str] = {
    (S.DRAFT, S.SUBMITTED): "submitted",
    (S.SUBMITTED, S.VERIFIED): "verified",
    (S.SUBMITTED, S.REJECTED): "rejected",
    (S.SUBMITTED, S.DRAFT): "changes_requested",
    (S.VERIFIED, S.SUSPENDED): "suspended",
    (S.SUSPENDED, S.VERIFIED): "reinstated",
    (S.VERIFIED, S.SUBMITTED): "licence_changed",
}


def transition(
    *, organization: Organization, to_status: str, action: str, actor: User | None, note: str = ""
) -> Organization:
    """Move the (locked) organisation along the edge named ``action``; record who, when and why."""
    from_status = organization.status
    if TRANSITIONS.get((from_status, to_status)) != action:
        raise ValidationError(
            _("An organisation cannot go from “%(from)s” to “%(to)s”.")
            % {"from": S(from_status).label, "to": S(to_status).label},
            code="invalid_transition",
        )
    now = timezone.now()
    organization.status = to_status
    organization.status_changed_at = now
    fields = ["status", "status_changed_at"]
    if to_status == S.VERIFIED:
        organization.verified_at = now
        organization.review_note = ""
        fields += ["verified_at", "review_note"]
    elif action in {"rejected", "changes_requested", "suspended"}:
        organization.review_note = note
        fields.append("review_note")
    organization.save(update_fields=fields)
    StatusChange.objects.create(
        organization=organization, from_status=from_status, to_status=to_status, actor=actor, note=note
    )
    log_action(
        actor=actor,
        action=f"organization.{action}",
        target=organization,
        note=note,
        changes={"status": [from_status, to_status]},
    )
    return organization


def _locked_for_review(user: User, organization: Organization) -> Organization:
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not permissions.can_review_organization(user, organization):
        raise PermissionDenied
    return organization


def _required(text: str, field: str = "note") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Write the reason; the managers will see it.")})
    return text


def submission_problems(organization: Organization) -> dict[str, str]:
    """What is still missing before staff can verify the profile (shown on the dashboard)."""
    missing = _("This is needed before the profile can be submitted.")
    problems: dict[str, str] = {}
    for field in ("licence_number", "licence_issuer", "licence_issued_on", "licence_expires_on", "licence_document"):
        if not getattr(organization, field):
            problems[field] = missing
    if not organization.address:
        problems["address"] = missing
    if not organization.activities.exists():
        problems["activities"] = _("Choose at least one field of activity.")
    if not organization.districts.exists():
        problems["districts"] = _("Choose at least one district served.")
    if licence_status_for(organization.licence_expires_on) == LicenceStatus.EXPIRED:
        problems["licence_expires_on"] = _("The licence has expired; renew it before submitting.")
    return problems


def _tell_managers(organization: Organization, *, event: str, actor: User, reason: str | None = None) -> None:
    """Staff's decision on a profile reaches its managers (in this transaction: the outbox)."""
    context = {"organization": organization.name}
    if reason is not None:
        context["reason"] = reason
    notify(
        event=event,
        recipients=User.objects.filter(ngo_memberships__organization=organization),
        target=organization,
        context=context,
        url=reverse("ngos:detail", args=[organization.pk]),
        actor=actor,
    )


@transaction.atomic
def organization_submit(*, user: User, organization: Organization) -> Organization:
    """A manager sends a complete draft to staff for verification."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not permissions.is_manager(user, organization):
        raise PermissionDenied
    problems = submission_problems(organization)
    if problems:
        raise ValidationError(problems)
    return transition(organization=organization, to_status=S.SUBMITTED, action="submitted", actor=user)


@transaction.atomic
def organization_verify(*, user: User, organization: Organization, note: str = "") -> Organization:
    """Staff confirm the registration and licence: the profile becomes public."""
    organization = _locked_for_review(user, organization)
    organization = transition(
        organization=organization, to_status=S.VERIFIED, action="verified", actor=user, note=note.strip()
    )
    _tell_managers(organization, event="organization_verified", actor=user)
    return organization


@transaction.atomic
def organization_reject(*, user: User, organization: Organization, reason: str) -> Organization:
    """Staff refuse a submission for good, with the reason on record."""
    organization = _locked_for_review(user, organization)
    organization = transition(
        organization=organization, to_status=S.REJECTED, action="rejected", actor=user, note=_required(reason, "reason")
    )
    _tell_managers(organization, event="organization_rejected", actor=user, reason=reason.strip())
    return organization


@transaction.atomic
def organization_request_changes(*, user: User, organization: Organization, note: str) -> Organization:
    """Staff return a submission to draft with what to fix, shown on the managers' dashboard."""
    organization = _locked_for_review(user, organization)
    organization = transition(
        organization=organization, to_status=S.DRAFT, action="changes_requested", actor=user, note=_required(note)
    )
    _tell_managers(organization, event="organization_changes_requested", actor=user, reason=note.strip())
    return organization


@transaction.atomic
def organization_suspend(*, user: User, organization: Organization, reason: str) -> Organization:
    """Staff take a verified organisation out of the public directory, saying why."""
    organization = _locked_for_review(user, organization)
    organization = transition(
        organization=organization,
        to_status=S.SUSPENDED,
        action="suspended",
        actor=user,
        note=_required(reason, "reason"),
    )
    _tell_managers(organization, event="organization_suspended", actor=user, reason=reason.strip())
    return organization


@transaction.atomic
def organization_reinstate(*, user: User, organization: Organization, note: str = "") -> Organization:
    """Staff lift a suspension."""
    organization = _locked_for_review(user, organization)
    organization = transition(
        organization=organization, to_status=S.VERIFIED, action="reinstated", actor=user, note=note.strip()
    )
    _tell_managers(organization, event="organization_reinstated", actor=user)
    return organization
