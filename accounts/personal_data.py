"""A citizen's own data: what their export holds and what stands in the way of deleting their account.

Accounts knows only its own tables; the apps above it (projects, ngos,
neighbourhoods, notifications) hand in from ``AppConfig.ready()``:

- ``register_section(name, exporter)``: one section of the export, built by
  ``exporter(user)`` in a fixed number of queries however many rows there are,
  from the user's own rows only (never another person's number, email or code);
- ``register_deletion_check(check)``: ``check(user)`` returns a sentence saying
  what the person must do first when their account cannot go yet (a seat that
  the database protects, the last manager of an organisation), else ``None``;
- ``register_before_delete(hook)``: ``hook(user)`` detaches rows that must
  outlive the account, inside the deletion's transaction.

``SECTIONS`` lists what the export page promises, in order: a section nobody
has registered yet (poll answers before polls exist) is an empty list, so a
program reading the export finds every key.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from django.utils import timezone

from accounts.models import ApiToken, User
from core.jalali import jalali_text

Exporter = Callable[[User], Any]
Check = Callable[[User], "str | None"]
Hook = Callable[[User], None]

# Every key a citizen finds in their export, whichever apps are installed.
SECTIONS = (
    "profile",
    "api_tokens",
    "comments",
    "supports",
    "ballots",
    "poll_answers",
    "ideas",
    "follows",
    "notifications",
    "notification_preferences",
    "volunteer_profile",
    "volunteer_applications",
    "organisations_managed",
    "trusteeships",
    "need_reports",
)
FORMAT_VERSION = 1

_exporters: dict[str, Exporter] = {}
_checks: list[Check] = []
_hooks: list[Hook] = []


def register_section(name: str, exporter: Exporter) -> None:
    """Add (or replace) the export section ``name``; a name outside ``SECTIONS`` comes after them."""
    _exporters[name] = exporter


def register_deletion_check(check: Check) -> None:
    if check not in _checks:
        _checks.append(check)


def register_before_delete(hook: Hook) -> None:
    if hook not in _hooks:
        _hooks.append(hook)


def moments(**values: datetime | None) -> dict[str, str | None]:
    """Each moment in ISO 8601 and, as the API gives it, its Jalali twin ``<name>_jalali`` (Tehran time)."""
    out: dict[str, str | None] = {}
    for name, value in values.items():
        out[name] = value.isoformat() if value is not None else None
        out[f"{name}_jalali"] = jalali_text(value)
    return out


def export_for(user: User) -> dict[str, Any]:
    """Everything the portal keeps about ``user`` that is theirs, as JSON-ready data."""
    data: dict[str, Any] = {"format": FORMAT_VERSION, **moments(exported_at=timezone.now())}
    for name in (*SECTIONS, *(name for name in _exporters if name not in SECTIONS)):
        exporter = _exporters.get(name)
        data[name] = exporter(user) if exporter is not None else []
    return data


def deletion_blockers(user: User) -> list[str]:
    """What the person must do before their account can be deleted; empty when nothing."""
    return [reason for check in _checks if (reason := check(user))]


def before_delete(user: User) -> None:
    for hook in _hooks:
        hook(user)


# --- accounts' own sections ---------------------------------------------------------------------
def _profile(user: User) -> dict[str, Any]:
    """The account itself: the only place the export (or the portal) shows the person's number.

    Left out on purpose: the password hash, the sign-up network label, the
    session counter and anything derived from the number (voter keys).
    """
    home = user.home_neighborhood
    return {
        "id": user.pk,
        "mobile_number": user.phone_local,
        "email": user.email,
        # Never written out, not even here: a file people mail around must not carry it.
        "national_code_on_file": bool(user.national_code),
        "display_name": user.display_name,
        "role": user.role,
        "role_display": str(user.get_role_display()),
        "home_neighborhood": {"id": home.pk, "name": home.name} if home else None,
        "residency": user.residency_status,
        **moments(
            home_since=user.home_since,
            residency_verified_at=user.residency_verified_at,
            mobile_verified_at=user.mobile_verified_at,
            date_joined=user.date_joined,
            last_login=user.last_login,
        ),
    }


def _api_tokens(user: User) -> list[dict[str, Any]]:
    """Which devices hold a token: the name and dates, never the key or its digest."""
    return [
        {"name": token.name, **moments(created_at=token.created_at, last_used_at=token.last_used_at)}
        for token in ApiToken.objects.filter(user=user).order_by("created_at", "id")
    ]


def register_own_sections() -> None:
    """Called from ``AccountsConfig.ready()``."""
    register_section("profile", _profile)
    register_section("api_tokens", _api_tokens)
