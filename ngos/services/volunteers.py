"""The volunteer club: profiles, opportunities and applications.

An application holds a place while pending or accepted. ``application_apply``
locks the opportunity row, counts the places held and only then inserts, so
concurrent applicants queue on the lock and never over-fill it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import log_action
from ngos import permissions
from ngos.models import (
    PLACE_HOLDING,
    Application,
    ApplicationStatus,
    Availability,
    Opportunity,
    OpportunityStatus,
    Organization,
    OrganizationStatus,
    VolunteerProfile,
)
from notifications.services import notify
from places.models import District


@transaction.atomic
def volunteer_profile_save(
    *, user: User, skills: str, districts: Iterable[District], availability: str, note: str = ""
) -> VolunteerProfile:
    """Join the volunteer club, or update what you offer."""
    if not user.is_authenticated:
        raise PermissionDenied
    districts = list(districts)
    errors: dict[str, str] = {}
    if not skills.strip():
        errors["skills"] = _("This field is required.")
    if not districts:
        errors["districts"] = _("Choose at least one district.")
    if availability not in Availability.values:
        errors["availability"] = _("Choose your availability.")
    if errors:
        raise ValidationError(errors)
    profile, _created = VolunteerProfile.objects.update_or_create(
        user=user, defaults={"skills": skills.strip(), "availability": availability, "note": note.strip()}
    )
    profile.districts.set(districts)
    return profile


@transaction.atomic
def opportunity_post(
    *,
    actor: User,
    organization: Organization,
    title: str,
    description: str,
    date: dt.date,
    place: str,
    places: int,
    district: District | None = None,
) -> Opportunity:
    """A verified organisation's manager calls for volunteers."""
    if not permissions.can_post_opportunity(actor, organization):
        raise PermissionDenied
    errors: dict[str, str] = {}
    if date < timezone.localdate():
        errors["date"] = _("Choose today or a later date.")
    if places is None or places < 1:
        errors["places"] = _("Offer at least one place.")
    if district is not None and district.city_id != organization.city_id:
        errors["district"] = _("Choose a district of the organisation's city.")
    if errors:
        raise ValidationError(errors)
    opportunity = Opportunity(
        organization=organization,
        title=title.strip(),
        description=description.strip(),
        date=date,
        place=place.strip(),
        places=places,
        district=district,
        created_by=actor,
    )
    opportunity.full_clean(exclude=["created_by"])
    opportunity.save()
    log_action(actor=actor, action="opportunity.posted", target=opportunity)
    return opportunity


@transaction.atomic
def opportunity_close(*, actor: User, opportunity: Opportunity) -> Opportunity:
    """Stop taking applications (those already in stay as they are)."""
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",)).select_related("organization").get(pk=opportunity.pk)
    )
    if not permissions.can_manage_opportunity(actor, opportunity):
        raise PermissionDenied
    opportunity.status = OpportunityStatus.CLOSED
    opportunity.save(update_fields=["status"])
    log_action(actor=actor, action="opportunity.closed", target=opportunity)
    return opportunity


@transaction.atomic
def application_apply(*, user: User, opportunity: Opportunity, message: str = "") -> Application:
    """Take one of the places, if one is free; the row lock makes the count and insert atomic."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    if not VolunteerProfile.objects.filter(user=user).exists():
        raise ValidationError(_("Join the volunteer club (fill in your volunteer profile) before applying."))
    opportunity = (
        Opportunity.objects.select_for_update(of=("self",)).select_related("organization").get(pk=opportunity.pk)
    )
    if (
        opportunity.status != OpportunityStatus.OPEN
        or opportunity.organization.status != OrganizationStatus.VERIFIED
        or opportunity.date < timezone.localdate()
    ):
        raise ValidationError(_("This opportunity is no longer taking applications."))
    existing = Application.objects.filter(opportunity=opportunity, volunteer=user).first()
    if existing is not None and existing.status in PLACE_HOLDING:
        raise ValidationError(_("You have already applied for this opportunity."))
    if existing is not None and existing.status == ApplicationStatus.DECLINED:
        raise ValidationError(_("The organisation has already declined your application for this opportunity."))
    taken = Application.objects.filter(opportunity=opportunity, status__in=PLACE_HOLDING).count()
    if taken >= opportunity.places:
        raise ValidationError(_("Sorry, all places for this opportunity are taken."), code="full")
    if existing is not None:  # withdrawn earlier: apply again on the same row
        existing.status = ApplicationStatus.PENDING
        existing.message = message.strip()
        existing.decided_by = None
        existing.decided_at = None
        existing.save(update_fields=["status", "message", "decided_by", "decided_at", "updated_at"])
        return existing
    return Application.objects.create(opportunity=opportunity, volunteer=user, message=message.strip())


@transaction.atomic
def application_decide(*, actor: User, application: Application, accept: bool) -> Application:
    """A manager of the organisation accepts or declines a pending application."""
    application = (
        Application.objects.select_for_update(of=("self",))
        .select_related("opportunity__organization")
        .get(pk=application.pk)
    )
    if not permissions.is_manager(actor, application.opportunity.organization):
        raise PermissionDenied
    if application.status != ApplicationStatus.PENDING:
        raise ValidationError(_("Only pending applications can be accepted or declined."))
    application.status = ApplicationStatus.ACCEPTED if accept else ApplicationStatus.DECLINED
    application.decided_by = actor
    application.decided_at = timezone.now()
    application.save(update_fields=["status", "decided_by", "decided_at", "updated_at"])
    if accept:
        log_action(actor=actor, action="application.accepted", target=application)
    else:
        log_action(actor=actor, action="application.declined", target=application)
    opportunity = application.opportunity
    notify(
        event="volunteer_application_accepted" if accept else "volunteer_application_declined",
        recipients=User.objects.filter(pk=application.volunteer_id),
        target=opportunity,
        context={"opportunity": opportunity.title, "organization": opportunity.organization.name},
        url=reverse("ngos:opportunity", args=[opportunity.pk]),
        actor=actor,
    )
    return application


@transaction.atomic
def application_withdraw(*, user: User, application: Application) -> Application:
    """The volunteer steps back, freeing the place."""
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not permissions.can_withdraw_application(user, application):
        if user.is_authenticated and application.volunteer_id == user.pk:
            raise ValidationError(_("This application can no longer be withdrawn."))
        raise PermissionDenied
    application.status = ApplicationStatus.WITHDRAWN
    application.save(update_fields=["status", "updated_at"])
    return application
