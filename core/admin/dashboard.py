"""The staff dashboard on the admin index: work queues to open, and the last 30 days of activity.

The kernel cannot import the apps, so each app hands in its own queues and
activity series from its ``AppConfig.ready()`` (``register_queue``,
``register_series``), the way audit labels are registered. Every count is
taken in the signed-in staff member's scope with the same district lookup the
linked changelist uses, so the number on the dashboard is the number of rows
the link opens.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet
from django.db.models.functions import TruncDate
from django.urls import reverse
from django.utils import timezone

from core import scope
from core.jalali import MONTHS_EN, MONTHS_FA, jalali_date_string, jalali_parts
from core.persian import format_number, localize_digits, persian_active

ACTIVITY_DAYS = 30


@dataclass(frozen=True)
class Queue:
    """One kind of work waiting for staff: how many rows wait, and the changelist that lists exactly them."""

    key: str
    label: Any  # a (lazy) string, or a function giving one (a label with a setting's number in it)
    count: Callable[[Any], int]
    url: Callable[[Any], str]
    order: int = 100


@dataclass(frozen=True)
class Series:
    """One line of the activity chart: rows created per day since a day, in the user's scope."""

    key: str
    label: Any
    per_day: Callable[[Any, dt.date], dict[dt.date, int]]
    order: int = 100


_queues: dict[str, Queue] = {}
_series: dict[str, Series] = {}


def register_queue(
    key: str, label: Any, count: Callable[[Any], int], url: Callable[[Any], str], order: int = 100
) -> None:
    """Called from an app's ``ready()``; a key registered again replaces the earlier entry."""
    _queues[key] = Queue(key, label, count, url, order)


def register_series(
    key: str, label: Any, per_day: Callable[[Any, dt.date], dict[dt.date, int]], order: int = 100
) -> None:
    """Called from an app's ``ready()``; ``per_day(user, since)`` gives ``{day: rows}`` (days without rows left out)."""
    _series[key] = Series(key, label, per_day, order)


def registered_queues() -> list[Queue]:
    return sorted(_queues.values(), key=lambda q: (q.order, q.key))


def registered_series() -> list[Series]:
    return sorted(_series.values(), key=lambda s: (s.order, s.key))


# --- helpers the apps use to write their entries ---------------------------------------------
def changelist(model: str, query: str = "") -> Callable[[Any], str]:
    """A queue's link: the admin changelist of ``model`` ("app_label.model"), filtered by ``query``."""
    app_label, model_name = model.split(".")

    def url(user) -> str:
        base = reverse(f"admin:{app_label}_{model_name}_changelist")
        return f"{base}?{query}" if query else base

    return url


def scoped(queryset: QuerySet, user, district_path: str | None) -> QuerySet:
    """The rows the user's admin changelist shows: the same rule as ``DistrictScopedAdminMixin``."""
    if district_path is None:
        return queryset if scope.is_staff_member(user) else queryset.none()
    return scope.scope_to_districts(queryset, user, district_path)


def once_per_request(counts: Callable[[Any], dict[str, int]]) -> Callable[[Any], dict[str, int]]:
    """Several queues counted by one query: the first queue asks, the others read the answer kept on the user.

    The signed-in user is a fresh object on every request, so nothing outlives the page.
    """

    def cached(user) -> dict[str, int]:
        kept = user.__dict__.setdefault("_dashboard_counts", {})
        if counts not in kept:
            kept[counts] = counts(user)
        return kept[counts]

    return cached


def scoped_counts(queryset: QuerySet, user, district_path: str | None, **conditions: Q) -> dict[str, int]:
    """One count per condition over the user's rows, in one query (a row in several districts counts once)."""
    queryset = scoped(queryset, user, district_path)
    return queryset.aggregate(**{name: Count("pk", filter=q, distinct=True) for name, q in conditions.items()})


def scoped_count(queryset: QuerySet, user, district_path: str | None) -> int:
    return scoped(queryset, user, district_path).count()


def daily_counts(queryset: QuerySet, user, district_path: str | None, field: str, since: dt.date) -> dict[dt.date, int]:
    """Rows per Tehran day from ``since`` on, counted once each even when a row lies in several districts."""
    start = timezone.make_aware(dt.datetime.combine(since, dt.time.min))
    rows = (
        scoped(queryset.filter(**{f"{field}__gte": start}), user, district_path)
        .annotate(day=TruncDate(field, tzinfo=timezone.get_current_timezone()))
        .order_by()
        .values("day")
        .annotate(n=Count("pk", distinct=True))
    )
    return {row["day"]: row["n"] for row in rows}


# --- what the index shows ---------------------------------------------------------------------
def queue_rows(user) -> list[dict]:
    """The queues for the index: label, count (and the count written for people) and link."""
    if not scope.is_staff_member(user):
        return []
    rows = []
    for queue in registered_queues():
        count = queue.count(user)
        label = queue.label() if callable(queue.label) else queue.label
        rows.append(
            {"key": queue.key, "label": label, "count": count, "shown": format_number(count), "url": queue.url(user)}
        )
    return rows


def _short_day(day: dt.date) -> str:
    parts = jalali_parts(day)
    months = MONTHS_FA if persian_active() else MONTHS_EN
    return localize_digits(f"{parts.day} {months[parts.month - 1]}")


def activity(user, days: int = ACTIVITY_DAYS) -> dict:
    """Per-day counts of each series for the last ``days`` days (today included), oldest first.

    ``chart`` is what the chart script reads (short Jalali day labels, numbers);
    ``table`` is the same numbers written for people, for the table beside it.
    """
    today = timezone.localdate()
    since = today - dt.timedelta(days=days - 1)
    span = [since + dt.timedelta(days=i) for i in range(days)]
    series = registered_series() if scope.is_staff_member(user) else []
    counted = [(s, s.per_day(user, since)) for s in series]
    chart = {
        "labels": [_short_day(day) for day in span],
        "series": [
            {"key": s.key, "label": str(s.label), "data": [found.get(day, 0) for day in span]} for s, found in counted
        ],
        "locale": "fa-IR" if persian_active() else "en",
    }
    table = {
        "columns": [str(s.label) for s, _found in counted],
        "rows": [
            {"day": jalali_date_string(day), "values": [format_number(found.get(day, 0)) for _s, found in counted]}
            for day in span
        ],
        "totals": [format_number(sum(found.values())) for _s, found in counted],
    }
    return {"chart": chart, "table": table}


def install(site) -> None:
    """The admin index shows the dashboard: its view gets the queues and the activity in its context."""
    plain_index = site.index

    def index(request, extra_context=None):
        context = {"dashboard_queues": queue_rows(request.user), "dashboard_activity": activity(request.user)}
        return plain_index(request, extra_context={**context, **(extra_context or {})})

    site.index = index
