"""Writes on accounts: people, roles, API tokens and lockouts; shared by pages, API and admin."""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from axes.models import AccessAttempt
from django.contrib.auth.models import Group, Permission
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext_lazy

from accounts import personal_data
from accounts.identity import network_key
from accounts.models import ApiToken, Role, User
from accounts.permissions import can_manage_accounts, may_delete_own_account
from accounts.residency import user_set_home
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
    address: str | None = None,
    mobile_verified: bool = False,
) -> User:
    """Create a citizen account; the caller has validated the password (``None``: no password yet).

    ``address`` is the client's address, kept only as a keyed label so staff can
    see a campaign of accounts from one network; ``mobile_verified`` when a
    one-time SMS code has just proved the number.
    """
    now = timezone.now()
    return User.objects.create_user(
        phone=phone,
        password=password,
        display_name=display_name.strip(),
        email=email or None,
        national_code=national_code or None,
        home_neighborhood=home_neighborhood,
        home_since=now if home_neighborhood else None,
        mobile_verified_at=now if mobile_verified else None,
        signup_network=network_key(address),
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
    """Save the citizen's own profile; a new home goes through ``user_set_home`` and its cooldown."""
    user_set_home(user=user, neighborhood=home_neighborhood)
    user.display_name = display_name.strip()
    user.email = email or None
    user.national_code = national_code or None
    user.full_clean(exclude=["password"])
    user.save(update_fields=["display_name", "email", "national_code"])
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


STAFF_DELETION_REFUSED = gettext_lazy(
    "Staff accounts cannot be deleted here. Please ask a system administrator to close your account."
)


@transaction.atomic
def user_delete_self(*, user: User) -> None:
    """A citizen deletes their own account, from the profile page or ``DELETE /api/v1/me/``.

    The row goes, so the number and email are free for a new sign-up. What the
    person did in public stays, without them: comments and ideas show a
    deleted user as their author, supports and ballots keep counting and keep
    their voter key (a new account with the same number gets no second one).
    Tokens, follows, notifications and preferences, the volunteer profile and
    applications, and organisation memberships go with the row (cascade).

    Every session ends: a session names its user by id, and with the row gone
    Django's session sign-in finds nobody, in the cached session store too
    (ids are never reused, and the session's password hash would not match a
    new row either). The page also flushes its own session (``logout``).

    Refused for staff (``PermissionDenied``: their accounts are managed by a
    system administrator) and, with what to do first, while an app's check
    names something the account still holds (``ValidationError``).
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if not may_delete_own_account(locked):
        raise PermissionDenied(STAFF_DELETION_REFUSED)
    reasons = personal_data.deletion_blockers(locked)
    if reasons:
        raise ValidationError([ValidationError(reason, code="account_in_use") for reason in reasons])
    personal_data.before_delete(locked)
    # The entry says that an account went and when; never its number, email or name.
    log_action(
        actor=None,
        action="user.deleted_self",
        target=locked,
        target_repr=f"#{locked.pk}",
        changes={"role": locked.role, "date_joined": locked.date_joined.isoformat()},
    )
    locked.delete()


def group_save(*, actor: User, group: Group, permissions: Iterable[Permission] | None = None) -> Group:
    """Create or change a permission group."""
    _require_account_manager(actor)
    return record_save(actor=actor, record=group, m2m={"permissions": permissions} if permissions is not None else None)


def group_delete(*, actor: User, group: Group) -> None:
    _require_account_manager(actor)
    record_delete(actor=actor, record=group)


# How often a token's last use is written: reads stay reads, one UPDATE per token per interval.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=5)


def api_token_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def api_token_issue(*, user: User, name: str = "", actor: User | None = None) -> tuple[ApiToken, str]:
    """A new token for ``user`` and its key ``<prefix>.<secret>``, which is shown once and never stored."""
    if actor is not None and actor.pk != user.pk:
        _require_account_manager(actor)
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, prefix=secrets.token_hex(6), digest=api_token_digest(secret), name=name.strip()[:120]
    )
    log_action(actor=actor or user, action="api_token.issued", target=user, note=token.name)
    return token, f"{token.prefix}.{secret}"


def api_token_touch(*, token: ApiToken, now: datetime) -> bool:
    """Record a use of ``token``, at most once per ``TOKEN_TOUCH_INTERVAL``; True when it wrote."""
    if now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return False
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    token.last_used_at = now
    return True


@transaction.atomic
def api_token_revoke(*, actor: User, token: ApiToken) -> None:
    """Revoke one token: its owner, or whoever manages accounts."""
    if actor.pk != token.user_id:
        _require_account_manager(actor)
    log_action(actor=actor, action="api_token.revoked", target=token.user, note=token.name)
    token.delete()


@transaction.atomic
def user_sign_out_everywhere(*, user: User, actor: User | None = None) -> int:
    """End every API token and every session of ``user``; how many tokens there were.

    The caller that wants to stay signed in refreshes its own session
    (``update_session_auth_hash``) afterwards.
    """
    if actor is not None and actor.pk != user.pk:
        _require_account_manager(actor)
    revoked, _rows = ApiToken.objects.filter(user=user).delete()
    User.objects.filter(pk=user.pk).update(session_epoch=F("session_epoch") + 1)
    user.refresh_from_db(fields=["session_epoch"])
    log_action(actor=actor or user, action="user.signed_out_everywhere", target=user, note=str(revoked))
    return revoked


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
