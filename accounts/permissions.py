"""Who may act where: the staff scope every app's permissions build on.

District staff act only in the districts they serve; a city admin acts in
their city (or everywhere when no city is set, as for a superuser). Object
rules of each app (``ngos.permissions`` …) call these helpers, so the scope
is decided in one place.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet

from accounts.models import STAFF_ROLES, Role, User
from places.models import District

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

        return set(District.objects.filter(city_id=user.staff_city_id).values_list("id", flat=True))
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


def may_delete_own_account(user: User) -> bool:
    """Citizens may close their own account; staff accounts are closed by a system administrator.

    A staff account holds a scope and decisions others rely on; closing it is
    an access change recorded by whoever manages accounts (``user_delete``).
    """
    return bool(user.is_authenticated and not (user.is_staff or user.is_superuser or user.role in STAFF_ROLES))
