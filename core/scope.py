"""The staff scope: whether someone is staff and which districts they serve, as ``accounts`` decides it.

Roles live in ``accounts``; the kernel's admin base and the apps below
``accounts`` (``places``) ask here instead of importing it, so the rule is
written once. ``AccountsConfig.ready()`` hands the rules in (``register``);
until then nobody counts as staff.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db.models import QuerySet

_rules: dict[str, Callable[..., Any]] = {
    "is_staff_member": lambda user: False,
    "scope_to_districts": lambda queryset, user, district_path: queryset.none(),
    "can_act_in_district": lambda user, district_id: False,
    "can_act_in_any_district": lambda user, district_ids: False,
}


def register(
    *,
    is_staff_member: Callable[[Any], bool],
    scope_to_districts: Callable[[QuerySet, Any, str], QuerySet],
    can_act_in_district: Callable[[Any, int | None], bool],
    can_act_in_any_district: Callable[[Any, set[int]], bool],
) -> None:
    """Called from ``AccountsConfig.ready()``."""
    _rules.update(
        is_staff_member=is_staff_member,
        scope_to_districts=scope_to_districts,
        can_act_in_district=can_act_in_district,
        can_act_in_any_district=can_act_in_any_district,
    )


def is_staff_member(user) -> bool:
    return _rules["is_staff_member"](user)


def scope_to_districts(queryset: QuerySet, user, district_path: str) -> QuerySet:
    """Rows whose ``district_path`` leads to a district the user serves as staff."""
    return _rules["scope_to_districts"](queryset, user, district_path)


def can_act_in_district(user, district_id: int | None) -> bool:
    return _rules["can_act_in_district"](user, district_id)


def can_act_in_any_district(user, district_ids: Iterable[int]) -> bool:
    return _rules["can_act_in_any_district"](user, set(district_ids))
