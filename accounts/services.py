"""Writes on accounts: one function each, shared by pages, API and admin."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from accounts.models import Role, User
from core.audit import log_action
from places.models import Neighborhood


@transaction.atomic
def user_register(
    *,
    phone: str,
    password: str,
    display_name: str,
    email: str | None = None,
    national_code: str | None = None,
    home_neighborhood: Neighborhood | None = None,
) -> User:
    """Create a citizen account; the caller has validated the password."""
    return User.objects.create_user(
        phone=phone,
        password=password,
        display_name=display_name.strip(),
        email=email or None,
        national_code=national_code or None,
        home_neighborhood=home_neighborhood,
        role=Role.CITIZEN,
    )


@transaction.atomic
def user_update_profile(
    *,
    user: User,
    display_name: str,
    email: str | None,
    national_code: str | None,
    home_neighborhood: Neighborhood | None,
) -> User:
    user.display_name = display_name.strip()
    user.email = email or None
    user.national_code = national_code or None
    user.home_neighborhood = home_neighborhood
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "email", "national_code", "home_neighborhood"])
    return user


def access_snapshot(user: User) -> dict[str, Any]:
    """What a user may do in the portal: role, staff flags and scope, in a form the audit trail stores."""
    if user.pk is None:  # not saved yet: everything it gets is a change
        return dict.fromkeys(("role", "is_active", "is_staff", "is_superuser", "staff_city")) | dict.fromkeys(
            ("staff_districts", "groups", "user_permissions"), []
        )
    return {
        "role": user.role,
        "is_active": user.is_active,
        "is_staff": user.is_staff,
        "is_superuser": user.is_superuser,
        "staff_city": user.staff_city_id,
        "staff_districts": sorted(user.staff_districts.values_list("id", flat=True)),
        "groups": sorted(user.groups.values_list("name", flat=True)),
        "user_permissions": sorted(user.user_permissions.values_list("codename", flat=True)),
    }


def user_record_access_change(*, actor: User | None, user: User, before: dict[str, Any], note: str = "") -> bool:
    """Write one audit entry with what changed in ``user``'s access since ``before``; False when nothing did.

    Role grants are decisions people argue about later ("who made them staff?"),
    so every path that changes them (admin, services) ends here.
    """
    after = access_snapshot(user)
    changes = {key: [before.get(key), value] for key, value in after.items() if before.get(key) != value}
    if not changes:
        return False
    log_action(actor=actor, action="user.access_changed", target=user, note=note, changes=changes)
    return True


def user_change_role(*, actor: User | None, user: User, role: str, note: str = "") -> User:
    """Give ``user`` a new role (inside the caller's transaction) and record who did it."""
    if user.role == role:
        return user
    before = access_snapshot(user)
    user.role = role
    user.save(update_fields=["role", "is_staff"])
    user_record_access_change(actor=actor, user=user, before=before, note=note)
    return user
