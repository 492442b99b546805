"""Managers of an organisation: invitations by mobile number, acceptance, removal."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_change_role
from accounts.validators import normalize_mobile
from core.audit import log_action
from ngos import permissions
from ngos.models import InvitationStatus, ManagerInvitation, Membership, Organization
from ngos.services.organizations import add_manager
from notifications.services import notify


@transaction.atomic
def manager_invite(*, actor: User, organization: Organization, phone: str) -> ManagerInvitation:
    """Invite the holder of a mobile number; they accept after signing in with it."""
    if not permissions.can_manage_managers(actor, organization):
        raise PermissionDenied
    try:
        phone = normalize_mobile(phone)
    except ValidationError as exc:
        raise ValidationError({"phone": exc.messages}) from exc
    if Membership.objects.filter(organization=organization, user__phone=phone).exists():
        raise ValidationError({"phone": _("This person is already a manager of the organisation.")})
    if ManagerInvitation.objects.filter(
        organization=organization, phone=phone, status=InvitationStatus.PENDING
    ).exists():
        raise ValidationError({"phone": _("An invitation to this number is already waiting for an answer.")})
    invitation = ManagerInvitation.objects.create(organization=organization, phone=phone, invited_by=actor)
    log_action(actor=actor, action="organization.manager_invited", target=organization, note=phone[-4:])
    notify(
        event="manager_invited",
        recipients=User.objects.filter(phone=phone),
        target=organization,
        context={"organization": organization.name},
        url=reverse("ngos:dashboard"),
        actor=actor,
    )
    return invitation


def _locked_pending(invitation: ManagerInvitation) -> ManagerInvitation:
    invitation = (
        ManagerInvitation.objects.select_for_update(of=("self",)).select_related("organization").get(pk=invitation.pk)
    )
    if invitation.status != InvitationStatus.PENDING:
        raise ValidationError(_("This invitation has already been answered or withdrawn."))
    return invitation


@transaction.atomic
def invitation_accept(*, user: User, invitation: ManagerInvitation) -> Membership:
    """The invitee becomes a manager; only the holder of the invited number may accept."""
    invitation = _locked_pending(invitation)
    if not user.is_authenticated or user.phone != invitation.phone:
        raise PermissionDenied
    invitation.status = InvitationStatus.ACCEPTED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    membership = add_manager(organization=invitation.organization, user=user, added_by=invitation.invited_by)
    log_action(actor=user, action="organization.manager_joined", target=invitation.organization)
    return membership


@transaction.atomic
def invitation_decline(*, user: User, invitation: ManagerInvitation) -> ManagerInvitation:
    """The invitee says no."""
    invitation = _locked_pending(invitation)
    if not user.is_authenticated or user.phone != invitation.phone:
        raise PermissionDenied
    invitation.status = InvitationStatus.DECLINED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    return invitation


@transaction.atomic
def invitation_revoke(*, actor: User, invitation: ManagerInvitation) -> ManagerInvitation:
    """A manager withdraws an invitation nobody has answered yet."""
    invitation = _locked_pending(invitation)
    if not permissions.can_manage_managers(actor, invitation.organization):
        raise PermissionDenied
    invitation.status = InvitationStatus.REVOKED
    invitation.responded_at = timezone.now()
    invitation.save(update_fields=["status", "responded_at"])
    log_action(actor=actor, action="organization.invitation_revoked", target=invitation.organization)
    return invitation


@transaction.atomic
def manager_remove(*, actor: User, membership: Membership) -> None:
    """A manager removes another manager (or leaves); the last one cannot go."""
    organization = Organization.objects.select_for_update().get(pk=membership.organization_id)
    if not permissions.can_manage_managers(actor, organization):
        raise PermissionDenied
    membership = Membership.objects.select_related("user").get(pk=membership.pk)
    if Membership.objects.filter(organization=organization).count() <= 1:
        raise ValidationError(_("An organisation must keep at least one manager."))
    removed: User = membership.user
    membership.delete()
    log_action(actor=actor, action="organization.manager_removed", target=organization, note=str(removed))
    if removed.role == Role.ORG_MANAGER and not Membership.objects.filter(user=removed).exists():
        user_change_role(actor=actor, user=removed, role=Role.CITIZEN, note=str(organization)[:200])
