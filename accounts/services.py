"""Writes on accounts: one function each, shared by pages, API and admin."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied
from django.db import transaction
from rest_framework.authtoken.models import Token

from accounts.models import Role, User
from accounts.permissions import can_manage_accounts
from core.audit import log_action
from core.records import record_delete, record_save
from places.models import District, Neighborhood


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


def _require_account_manager(actor: User) -> None:
    if not can_manage_accounts(actor):
        raise PermissionDenied


@transaction.atomic
def user_save(
    *,
    actor: User,
    user: User,
    staff_districts: Iterable[District] | None = None,
    groups: Iterable[Group] | None = None,
    user_permissions: Iterable[Permission] | None = None,
) -> User:
    """Create or change an account as staff (the admin); what changed in its access goes on record.

    ``None`` leaves a many-to-many value as it is (the form did not offer it).
    """
    _require_account_manager(actor)
    stored = User.objects.select_for_update().get(pk=user.pk) if user.pk else User()
    before = access_snapshot(stored)
    user.save()
    many = {"staff_districts": staff_districts, "groups": groups, "user_permissions": user_permissions}
    for name, values in many.items():
        if values is not None:
            getattr(user, name).set(values)
    user_record_access_change(actor=actor, user=user, before=before)
    return user


@transaction.atomic
def user_delete(*, actor: User, user: User) -> None:
    """Delete an account; the audit entry keeps who it was and what access it had."""
    _require_account_manager(actor)
    log_action(actor=actor, action="user.deleted", target=user, changes={"access": access_snapshot(user)})
    user.delete()


def group_save(*, actor: User, group: Group, permissions: Iterable[Permission] | None = None) -> Group:
    """Create or change a permission group."""
    _require_account_manager(actor)
    return record_save(actor=actor, record=group, m2m={"permissions": permissions} if permissions is not None else None)


def group_delete(*, actor: User, group: Group) -> None:
    _require_account_manager(actor)
    record_delete(actor=actor, record=group)


@transaction.atomic
def api_token_issue(*, user: User, actor: User | None = None) -> Token:
    """The user's API token, made the first time it is asked for (by its owner signing in, or by staff)."""
    if actor is not None and actor.pk != user.pk:
        _require_account_manager(actor)
    token, created = Token.objects.get_or_create(user=user)
    if created:
        log_action(actor=actor or user, action="api_token.issued", target=user)
    return token


@transaction.atomic
def api_token_revoke(*, actor: User, user: User) -> bool:
    """Revoke the user's API token; programs using it are signed out. False when there was none."""
    _require_account_manager(actor)
    deleted, _rows = Token.objects.filter(user=user).delete()
    if deleted:
        log_action(actor=actor, action="api_token.revoked", target=user)
    return bool(deleted)


@transaction.atomic
def lockouts_clear(*, actor: User, attempts: Iterable[AccessAttempt]) -> int:
    """Lift sign-in lockouts: the failed attempts are forgotten, the decision is kept on record."""
    _require_account_manager(actor)
    cleared = 0
    for attempt in attempts:
        log_action(actor=actor, action="lockout.cleared", target=attempt, note=attempt.username or "")
        attempt.delete()
        cleared += 1
    return cleared


@transaction.atomic
def user_set_password(*, user: User, password: str | None) -> User:
    """Set the account's password (the caller has validated it), or with ``None`` disable password sign-in."""
    if password is None:
        user.set_unusable_password()
    else:
        user.set_password(password)
    user.save(update_fields=["password"])
    return user
