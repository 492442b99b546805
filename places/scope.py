"""The district scope of staff, as ``accounts`` decides it, for the geography admin.

Roles live in ``accounts``, above this app, so this app does not import
``accounts.permissions``: ``AccountsConfig.ready()`` hands those functions in
here and the rule stays written once. Until then nobody counts as staff.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.db.models import QuerySet

_rules: dict[str, Callable[..., Any]] = {
    "is_staff_member": lambda user: False,
    "scope_to_districts": lambda queryset, user, district_path: queryset.none(),
    "can_act_in_district": lambda user, district_id: False,
}


def register(
    *,
    is_staff_member: Callable[[Any], bool],
    scope_to_districts: Callable[[QuerySet, Any, str], QuerySet],
    can_act_in_district: Callable[[Any, int | None], bool],
) -> None:
    """Called from ``AccountsConfig.ready()``."""
    _rules.update(
        is_staff_member=is_staff_member,
        scope_to_districts=scope_to_districts,
        can_act_in_district=can_act_in_district,
    )


def is_staff_member(user) -> bool:
    return _rules["is_staff_member"](user)


def scope_to_districts(queryset: QuerySet, user, district_path: str) -> QuerySet:
    """Rows whose ``district_path`` leads to a district the user serves as staff."""
    return _rules["scope_to_districts"](queryset, user, district_path)


def can_act_in_district(user, district_id: int | None) -> bool:
    return _rules["can_act_in_district"](user, district_id)
