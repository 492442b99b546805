"""Open-data exports of projects and staff exports of published comments (CSV, JSON, XLSX)."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone

from core.jalali import jalali_date_string
from projects.models import Comment, CommentStatus

PROJECT_COLUMNS = (
    "id",
    "title",
    "category",
    "phase",
    "city",
    "district",
    "neighborhoods",
    "budget_rial",
    "progress",
    "start_date",
    "start_date_jalali",
    "end_date",
    "end_date_jalali",
    "latitude",
    "longitude",
    "support_count",
    "comment_count",
    "url",
)
COMMENT_COLUMNS = (
    "id",
    "project_id",
    "project_title",
    "district",
    "reply_to",
    "author",
    "text",
    "published_at",
    "published_at_jalali",
)
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def inert(value):
    """Keep spreadsheet programs from running a cell that starts like a formula."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _jalali(value) -> str:
    """ASCII digits whatever the page language: open data is for programs."""
    return jalali_date_string(value, with_time=True, machine=True)


def _iso(value) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def project_rows(queryset: QuerySet) -> Iterator[dict]:
    """One dict per project: the open-data record (no personal data)."""
    base = settings.SITE_URL.rstrip("/")
    for p in queryset.iterator(chunk_size=500):
        yield {
            "id": p.pk,
            "title": p.title,
            "category": p.category,
            "phase": p.phase,
            "city": p.district.city.name,
            "district": p.district.name,
            "neighborhoods": [n.name for n in p.neighborhoods.all()],
            "budget_rial": p.budget,
            "progress": p.progress,
            "start_date": _iso(p.start_date),
            "start_date_jalali": _jalali(p.start_date),
            "end_date": _iso(p.end_date),
            "end_date_jalali": _jalali(p.end_date),
            "latitude": str(p.latitude) if p.latitude is not None else None,
            "longitude": str(p.longitude) if p.longitude is not None else None,
            "support_count": p.support_count,
            "comment_count": p.comment_count,
            "url": f"{base}{p.get_absolute_url()}",
        }


def published_comments(*, project_id: int | None = None, district_id: int | None = None) -> QuerySet:
    queryset = Comment.objects.filter(status=CommentStatus.PUBLISHED).select_related("project__district", "author")
    if project_id is not None:
        queryset = queryset.filter(project_id=project_id)
    if district_id is not None:
        queryset = queryset.filter(project__district_id=district_id)
    return queryset.order_by("project_id", "created_at", "id")


def comment_rows(queryset: QuerySet) -> Iterator[dict]:
    """Published comments for synthesis: display names only, never phone numbers or emails."""
    for c in queryset.iterator(chunk_size=1000):
        yield {
            "id": c.pk,
            "project_id": c.project_id,
            "project_title": c.project.title,
            "district": c.project.district.name,
            "reply_to": c.parent_id or "",
            "author": c.author_name,
            "text": c.text,
            "published_at": _iso(c.published_at),
            "published_at_jalali": jalali_date_string(c.published_at, with_time=True) if c.published_at else "",
        }


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_stream(columns: Iterable[str], rows: Iterable[dict]) -> Iterator[str]:
    """CSV lines one at a time (UTF-8 with BOM so spreadsheet programs read Persian right)."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(columns)
    for row in rows:
        yield writer.writerow([inert(_cell(row[c])) for c in columns])


def xlsx_bytes(columns: Iterable[str], rows: Iterable[dict], *, title: str = "comments") -> bytes:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.sheet_view.rightToLeft = True
    sheet.append(list(columns))
    for row in rows:
        sheet.append([inert(_cell(row[c])) for c in columns])
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _cell(value):
    if isinstance(value, list):
        return "؛ ".join(str(v) for v in value)
    return "" if value is None else value
