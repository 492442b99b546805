"""Who may act where: the staff scope every app's permissions build on.

District staff act only in the districts they serve; a city admin acts in
their city (or everywhere when no city is set, as for a superuser). Object
rules of each app (``ngos.permissions`` …) call these helpers, so the scope
is decided in one place.
"""

from __future__ import annotations

from typing import NoReturn

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q, QuerySet

from accounts.models import STAFF_ROLES, Role, User
from places.models import District, Neighborhood

ALL = None  # marker: no restriction


def staff_district_ids(user: User) -> set[int] | None:
    """District ids the user may act on as staff; ``None`` means every district.

    Returns an empty set for anyone who is not active staff.
    """
    if not user.is_authenticated or not user.is_active:
        return set()
    if user.is_superuser:
        return ALL
    if user.role == Role.CITY_ADMIN:
        if user.staff_city_id is None:
            return ALL
        # Asked once per request (the dashboard counts several queues), for the city the user holds now.
        cached = getattr(user, "_staff_city_district_ids", None)
        if cached is None or cached[0] != user.staff_city_id:
            ids = set(District.objects.filter(city_id=user.staff_city_id).values_list("id", flat=True))
            cached = (user.staff_city_id, ids)
            user._staff_city_district_ids = cached
        return cached[1]
    if user.role == Role.DISTRICT_STAFF:
        cached = getattr(user, "_staff_district_ids", None)
        if cached is None:
            cached = set(user.staff_districts.values_list("id", flat=True))
            user._staff_district_ids = cached
        return cached
    return set()


def is_staff_member(user: User) -> bool:
    return bool(
        user.is_authenticated
        and user.is_active
        and (
            user.is_superuser
            or user.role
            in {
                Role.DISTRICT_STAFF,
                Role.CITY_ADMIN,
            }
        )
    )


def can_act_in_district(user: User, district_id: int | None) -> bool:
    scope = staff_district_ids(user)
    if scope is ALL:
        return is_staff_member(user)
    return district_id is not None and district_id in scope


def can_act_in_any_district(user: User, district_ids: set[int]) -> bool:
    scope = staff_district_ids(user)
    if scope is ALL:
        return is_staff_member(user)
    return bool(scope & set(district_ids))


def scope_to_districts(queryset: QuerySet, user: User, district_path: str) -> QuerySet:
    """Rows of ``queryset`` whose ``district_path`` lies in the user's staff scope.

    ``district_path`` is a lookup such as ``"district"`` or
    ``"neighborhood__district"``; rows in several districts (a many-to-many
    path) are kept when any of them is in scope.
    """
    scope = staff_district_ids(user)
    if scope is ALL:
        return queryset if is_staff_member(user) else queryset.none()
    if not scope:
        return queryset.none()
    return queryset.filter(Q(**{f"{district_path}__in": scope})).distinct()


def can_manage_accounts(user: User) -> bool:
    """Accounts, roles, groups, API tokens and sign-in lockouts are the superusers' to change.

    Whoever changes accounts can grant any role, so this stays with the few
    who already hold every permission.
    """
    return bool(user.is_authenticated and user.is_active and user.is_superuser)


# --- the verified-mobile gate -------------------------------------------------------
MOBILE_NOT_VERIFIED = "mobile_not_verified"


def needs_verified_mobile(user: User) -> bool:
    """True for a signed-in account whose number no SMS code has proved yet.

    Supports, ballots (and, where the city says so, comments) count one person
    once by their number, so they wait for the proof; reading never does.
    """
    return bool(user.is_authenticated and user.is_active and not user.mobile_verified)


class MobileReason(str):
    """A refusal the person lifts by confirming their number: pages add the link, the API answers 403."""

    code = MOBILE_NOT_VERIFIED
    verify_mobile = True  # templates ask this to offer the confirmation link


class MobileNotVerified(PermissionDenied):
    """Raised by services for a ``MobileReason``; the API answers 403 with ``code`` ``mobile_not_verified``."""

    code = MOBILE_NOT_VERIFIED


def mobile_gate(user: User, message: str) -> MobileReason | None:
    """``message`` as a ``MobileReason`` when ``user`` still has to confirm their number, else None."""
    return MobileReason(message) if needs_verified_mobile(user) else None


def refuse(reason: str, *, code: str) -> NoReturn:
    """Raise the service error for a deny reason: 403 ``mobile_not_verified`` for the gate, else a ValidationError."""
    if isinstance(reason, MobileReason):
        raise MobileNotVerified(reason)
    raise ValidationError(reason, code=code)


def can_manage_residency(actor: User, resident: User) -> bool:
    """Approve an early move or confirm a residency: staff of the resident's home district, city admins of its city."""
    if resident.home_neighborhood_id is None:
        return False
    district_id = (
        Neighborhood.objects.filter(pk=resident.home_neighborhood_id).values_list("district_id", flat=True).first()
    )
    return district_id is not None and can_act_in_district(actor, district_id)


def may_delete_own_account(user: User) -> bool:
    """Citizens may close their own account; staff accounts are closed by a system administrator.

    A staff account holds a scope and decisions others rely on; closing it is
    an access change recorded by whoever manages accounts (``user_delete``).
    """
    return bool(user.is_authenticated and not (user.is_staff or user.is_superuser or user.role in STAFF_ROLES))
