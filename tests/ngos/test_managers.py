"""Managers: registering makes you one; invitations by mobile number; the last one stays."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from accounts.models import Role
from ngos import permissions, services
from ngos.models import InvitationStatus, ManagerInvitation, Membership
from tests import factories


@pytest.mark.django_db
def test_invite_accept_and_remove(manager, organization):
    invitee = factories.UserFactory(phone="+989351112233")
    invitation = services.manager_invite(actor=manager, organization=organization, phone="۰۹۳۵ ۱۱۱ ۲۲۳۳")
    assert invitation.phone == "+989351112233"
    with pytest.raises(ValidationError):  # one pending invitation per number
        services.manager_invite(actor=manager, organization=organization, phone="09351112233")
    stranger = factories.UserFactory()
    with pytest.raises(PermissionDenied):
        services.invitation_accept(user=stranger, invitation=invitation)

    membership = services.invitation_accept(user=invitee, invitation=invitation)
    invitee.refresh_from_db()
    assert permissions.is_manager(invitee, organization)
    assert invitee.role == Role.ORG_MANAGER
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    with pytest.raises(ValidationError):
        services.manager_invite(actor=manager, organization=organization, phone="09351112233")

    services.manager_remove(actor=invitee, membership=Membership.objects.get(organization=organization, user=manager))
    assert not permissions.is_manager(manager, organization)
    with pytest.raises(ValidationError):  # the last manager cannot go
        services.manager_remove(actor=invitee, membership=membership)
    assert permissions.is_manager(invitee, organization)


@pytest.mark.django_db
def test_removed_manager_who_manages_nothing_is_a_citizen_again(manager, organization):
    second = factories.UserFactory(role=Role.ORG_MANAGER)
    membership = factories.MembershipFactory(organization=organization, user=second)
    services.manager_remove(actor=manager, membership=membership)
    second.refresh_from_db()
    assert second.role == Role.CITIZEN


@pytest.mark.django_db
def test_invitation_can_be_declined_or_revoked(manager, organization):
    invitee = factories.UserFactory(phone="+989121234500")
    first = services.manager_invite(actor=manager, organization=organization, phone="09121234500")
    services.invitation_decline(user=invitee, invitation=first)
    second = services.manager_invite(actor=manager, organization=organization, phone="09121234500")
    services.invitation_revoke(actor=manager, invitation=second)
    with pytest.raises(ValidationError):
        services.invitation_accept(user=invitee, invitation=second)
    assert not permissions.is_manager(invitee, organization)
    assert set(ManagerInvitation.objects.values_list("status", flat=True)) == {"declined", "revoked"}


@pytest.mark.django_db
def test_bad_number_is_a_field_error(manager, organization):
    with pytest.raises(ValidationError) as error:
        services.manager_invite(actor=manager, organization=organization, phone="12345")
    assert "phone" in error.value.message_dict


@pytest.mark.django_db
def test_only_managers_invite(other_manager, organization, city_admin):
    for user in (other_manager, city_admin):
        with pytest.raises(PermissionDenied):
            services.manager_invite(actor=user, organization=organization, phone="09121234500")


@pytest.mark.django_db
def test_invitation_page_flow(client_for, manager, organization):
    client = client_for(manager)
    page = client.post(f"/organizations/{organization.pk}/managers/", {"phone": "09127776655"})
    assert page.status_code == 302
    invitee = factories.UserFactory(phone="+989127776655")
    client = client_for(invitee)
    dashboard = client.get("/organizations/dashboard/").content.decode()
    assert organization.name.split("<")[0].strip() in dashboard
    invitation = ManagerInvitation.objects.get()
    assert client.post(f"/organizations/invitations/{invitation.pk}/accept/").status_code == 302
    assert permissions.is_manager(invitee, organization)
    # Someone else cannot answer an invitation meant for another number.
    other = ManagerInvitation.objects.create(organization=organization, phone="+989120000111")
    assert client.post(f"/organizations/invitations/{other.pk}/accept/").status_code == 404
