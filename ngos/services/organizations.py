"""Writes on an organisation's record: registration, edits, duplicate checks.

The status moves live in ``ngos.services.lifecycle``; an edit of the licence
of a verified profile uses them to send it back for verification.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_change_role
from core.audit import log_action
from core.persian import normalize
from core.text import clean_instance
from ngos import permissions
from ngos.models import (
    FieldOfActivity,
    Membership,
    Organization,
    OrganizationActivity,
    OrganizationStatus,
    StatusChange,
    normalize_identifier,
)
from ngos.services.lifecycle import transition
from places.models import City, District, Neighborhood

S = OrganizationStatus

PLAIN_FIELDS = (
    "kind",
    "name",
    "registration_number",
    "managing_director",
    "board_members",
    "summary",
    "description",
    "licence_number",
    "licence_issuer",
    "licence_issued_on",
    "licence_expires_on",
    "address",
    "phone",
    "email",
    "website",
)
FILE_FIELDS = ("licence_document", "logo")
LICENCE_FIELDS = frozenset({"licence_number", "licence_issuer", "licence_issued_on", "licence_expires_on"})
LICENCE_FIELDS_WITH_SCAN = LICENCE_FIELDS | {"licence_document"}
EDITABLE_FIELDS = frozenset(PLAIN_FIELDS) | set(FILE_FIELDS) | {"activities", "districts", "neighborhoods"}


def find_duplicates(
    *,
    city: City,
    name: str,
    registration_number: str,
    licence_issuer: str = "",
    licence_number: str = "",
    exclude_pk: int | None = None,
) -> dict[str, str]:
    """Field → message for each identity another organisation already holds."""
    others = Organization.objects.exclude(pk=exclude_pk) if exclude_pk else Organization.objects.all()
    errors: dict[str, str] = {}
    if name and others.filter(city=city, name_normalized=normalize(name)).exists():
        errors["name"] = _("An organisation with this name is already registered in this city.")
    registration = normalize_identifier(registration_number)
    if registration and others.filter(registration_number_normalized=registration).exists():
        errors["registration_number"] = _("An organisation with this registration number is already registered.")
    licence = normalize_identifier(licence_number)
    if licence and others.filter(licence_issuer=licence_issuer, licence_number_normalized=licence).exists():
        errors["licence_number"] = _("This licence (issuer and number) is already registered to another organisation.")
    return errors


def _save_checked(organization: Organization) -> None:
    """Validate and save, turning a duplicate that slipped past the check into a field error."""
    organization.full_clean(exclude=["created_by"], validate_unique=False, validate_constraints=False)
    errors = find_duplicates(
        city=organization.city,
        name=organization.name,
        registration_number=organization.registration_number,
        licence_issuer=organization.licence_issuer,
        licence_number=organization.licence_number,
        exclude_pk=organization.pk,
    )
    if errors:
        raise ValidationError(errors)
    if organization.licence_issued_on and organization.licence_expires_on:
        if organization.licence_expires_on < organization.licence_issued_on:
            raise ValidationError({"licence_expires_on": _("The expiry date must be after the issue date.")})
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as exc:
        errors = find_duplicates(
            city=organization.city,
            name=organization.name,
            registration_number=organization.registration_number,
            licence_issuer=organization.licence_issuer,
            licence_number=organization.licence_number,
            exclude_pk=organization.pk,
        )
        if errors:
            raise ValidationError(errors) from exc
        raise


def add_manager(*, organization: Organization, user: User, added_by: User | None) -> Membership:
    """Make ``user`` a manager (inside the caller's transaction); citizens get the manager role."""
    membership, _created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"added_by": added_by}
    )
    if user.role == Role.CITIZEN:
        user_change_role(actor=added_by, user=user, role=Role.ORG_MANAGER, note=str(organization)[:200])
    return membership


@transaction.atomic
def organization_register(
    *,
    user: User,
    city: City,
    kind: str,
    name: str,
    registration_number: str,
    managing_director: str,
    summary: str,
    description: str = "",
    board_members: str = "",
    details: Mapping[str, Any] | None = None,
) -> Organization:
    """Create a draft with its first manager; ``details`` fills the later steps at once."""
    if not user.is_authenticated or not user.is_active:
        raise PermissionDenied
    organization = Organization(
        city=city,
        kind=kind,
        name=name.strip(),
        registration_number=registration_number.strip(),
        managing_director=managing_director.strip(),
        summary=summary.strip(),
        description=description.strip(),
        board_members=board_members.strip(),
        created_by=user,
    )
    _save_checked(organization)
    add_manager(organization=organization, user=user, added_by=user)
    StatusChange.objects.create(organization=organization, from_status="", to_status=S.DRAFT, actor=user)
    log_action(actor=user, action="organization.registered", target=organization)
    if details:
        organization = organization_update(user=user, organization=organization, changes=details)
    return organization


def _as_text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if hasattr(value, "name") and hasattr(value, "read"):
        return getattr(value, "name", "") or ""
    return "" if value is None else str(value)


def _check_geography(
    organization: Organization, districts: Iterable[District], neighborhoods: Iterable[Neighborhood]
) -> set[int]:
    """District ids served: those chosen plus those of the chosen neighbourhoods, all in the city."""
    district_ids = {d.pk for d in districts}
    if any(d.city_id != organization.city_id for d in districts):
        raise ValidationError({"districts": _("Choose districts of the organisation's city.")})
    hood_districts = District.objects.filter(pk__in={n.district_id for n in neighborhoods})
    if any(d.city_id != organization.city_id for d in hood_districts):
        raise ValidationError({"neighborhoods": _("Choose neighbourhoods of the organisation's city.")})
    return district_ids | {d.pk for d in hood_districts}


@transaction.atomic
def organization_update(*, user: User, organization: Organization, changes: Mapping[str, Any]) -> Organization:
    """Apply a manager's edits; a licence change on a verified profile sends it back for verification."""
    organization = Organization.objects.select_for_update().get(pk=organization.pk)
    if not permissions.can_edit_organization(user, organization):
        raise PermissionDenied
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise ValidationError(_("These fields cannot be changed: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    diff: dict[str, list[str]] = {}
    for field in PLAIN_FIELDS:
        if field in changes:
            value = changes[field]
            value = value.strip() if isinstance(value, str) else value
            if field in {"licence_issued_on", "licence_expires_on"}:
                value = value or None
            elif value is None:
                value = ""
            old = getattr(organization, field)
            if old != value:
                diff[field] = [_as_text(old), _as_text(value)]
                setattr(organization, field, value)
    for field in FILE_FIELDS:
        if field in changes and changes[field] is not None:
            value = changes[field]
            if value is False:  # "clear" on the form
                if field == "licence_document" or not getattr(organization, field):
                    continue
                diff[field] = [getattr(organization, field).name, ""]
                setattr(organization, field, "")
            else:
                diff[field] = [getattr(organization, field).name, "(new file)"]
                setattr(organization, field, value)
    _save_checked(organization)

    if "activities" in changes:
        codes = set(changes["activities"] or ())
        if codes - set(FieldOfActivity.values):
            raise ValidationError({"activities": _("Unknown field of activity.")})
        old_codes = set(organization.activities.values_list("code", flat=True))
        if codes != old_codes:
            organization.activities.exclude(code__in=codes).delete()
            OrganizationActivity.objects.bulk_create(
                [
                    clean_instance(OrganizationActivity(organization=organization, code=c))
                    for c in sorted(codes - old_codes)
                ]
            )
            diff["activities"] = [",".join(sorted(old_codes)), ",".join(sorted(codes))]
    if "districts" in changes or "neighborhoods" in changes:
        districts = list(changes.get("districts", organization.districts.all()) or ())
        neighborhoods = list(changes.get("neighborhoods", organization.neighborhoods.all()) or ())
        district_ids = _check_geography(organization, districts, neighborhoods)
        old_districts = set(organization.districts.values_list("id", flat=True))
        old_hoods = set(organization.neighborhoods.values_list("id", flat=True))
        new_hoods = {n.pk for n in neighborhoods}
        if district_ids != old_districts:
            organization.districts.set(district_ids)
            diff["districts"] = [",".join(map(str, sorted(old_districts))), ",".join(map(str, sorted(district_ids)))]
        if new_hoods != old_hoods:
            organization.neighborhoods.set(new_hoods)
            diff["neighborhoods"] = [",".join(map(str, sorted(old_hoods))), ",".join(map(str, sorted(new_hoods)))]

    if diff:
        log_action(actor=user, action="organization.updated", target=organization, changes=diff)
    if organization.status == S.VERIFIED and LICENCE_FIELDS_WITH_SCAN & set(diff):
        organization = transition(
            organization=organization,
            to_status=S.SUBMITTED,
            action="licence_changed",
            actor=user,
            note=_("The licence was changed; the profile needs verification again."),
        )
    return organization
