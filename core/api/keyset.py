"""Keyset (cursor) pagination for long API lists, next to the page numbers clients already use.

``?page=N`` keeps working as before (``count``, ``next``, ``previous``,
``results``), but page N costs an ``OFFSET`` that grows with N. Passing
``cursor`` (empty for the first page) switches to keyset pagination: the
response carries ``next`` (a link with the next cursor, or null) and
``results``. The cursor holds the sort values of the last row shown, so the
next page is "rows after these values" in the list's own order, read straight
from an index: page 500 costs what page 1 costs, and rows inserted meanwhile
never shift a page (nothing is skipped or shown twice).
"""

from __future__ import annotations

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import EmptyResultSet
from django.core.exceptions import ValidationError as DjangoValidationError
from django.core.paginator import Paginator as DjangoPaginator
from django.db.models import F, OrderBy, Q, QuerySet
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response
from rest_framework.utils.urls import replace_query_param

from core import pagecache
from core.api.pagination import PageNumberPagination
from core.api.parsers import loads

CURSOR_PARAM = "cursor"
# A cursor holds a few sort values; anything much longer was not made here.
MAX_CURSOR_LENGTH = 2048


@dataclass(frozen=True)
class SortKey:
    name: str
    descending: bool


def sort_keys(queryset: QuerySet) -> list[SortKey]:
    """The queryset's ordering as sort keys, ending with the primary key so the order is total."""
    ordering = list(queryset.query.order_by) or list(queryset.model._meta.ordering)
    keys: list[SortKey] = []
    for item in ordering:
        if isinstance(item, str):
            name, descending = item.lstrip("-"), item.startswith("-")
        elif isinstance(item, OrderBy) and isinstance(item.expression, F):
            name, descending = item.expression.name, item.descending
        else:
            raise TypeError(f"keyset pagination cannot sort by {item!r}")
        keys.append(SortKey("pk" if name in ("pk", "id") else name, descending))
    if not any(key.name == "pk" for key in keys):
        keys.append(SortKey("pk", keys[-1].descending if keys else False))
    return keys


def _after(keys: list[SortKey], values: list) -> Q:
    """Rows strictly after ``values`` in the order ``keys`` (NULLs sort last either way)."""
    condition = Q(pk__in=[])
    equal = Q()
    for key, value in zip(keys, values, strict=True):
        if value is None:
            beyond = Q(pk__in=[])  # NULLs come last: nothing sorts after a NULL in this key
            same = Q(**{f"{key.name}__isnull": True})
        else:
            lookup = "lt" if key.descending else "gt"
            beyond = Q(**{f"{key.name}__{lookup}": value}) | Q(**{f"{key.name}__isnull": True})
            same = Q(**{key.name: value})
        condition |= equal & beyond
        equal &= same
    return condition


def _encode(values: list) -> str:
    def plain(value):
        if isinstance(value, dt.date | dt.datetime):
            return value.isoformat()
        return value

    raw = json.dumps([plain(v) for v in values], separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _invalid() -> ValidationError:
    return ValidationError({CURSOR_PARAM: [_("This cursor is not valid; start again from the first page.")]})


def _decode(cursor: str, length: int) -> list:
    """The cursor's values; anything a database column could not take is refused, not queried."""
    invalid = _invalid()
    if len(cursor) > MAX_CURSOR_LENGTH:
        raise invalid
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = loads(raw, max_depth=1, max_items=length)
    except (binascii.Error, ValueError) as exc:
        raise invalid from exc
    if not isinstance(values, list) or len(values) != length:
        raise invalid
    for value in values:
        if not isinstance(value, str | int | float | bool | type(None)):
            raise invalid
        if isinstance(value, int) and not isinstance(value, bool) and not -(2**63) <= value < 2**63:
            raise invalid
    return values


def versioned_count(queryset: QuerySet) -> int:
    """``queryset.count()``, kept in the cache under the versions of the list's page-cache topics.

    Page-number answers carry the total, and at city scale the ``COUNT(*)``
    is the costliest query of a list (a full index scan of 100,000 projects,
    a trigram filter over every organisation). The version is read before
    counting, as the page cache does, so a write meanwhile makes the copy stale.
    Lists of models without topics (``pagecache.cache_lists``) count every time.
    """
    topics = pagecache.list_topics(queryset.model)
    if topics is None or not settings.PAGE_CACHE_SECONDS:
        return queryset.count()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:
        return 0
    digest = hashlib.sha256(f"{queryset.db}|{sql}|{params!r}".encode()).hexdigest()[:32]
    key = f"apicount:{digest}"
    current, found = pagecache.versions(topics, also=[key])
    entry = found.get(key)
    if isinstance(entry, tuple) and len(entry) == 2 and entry[0] == current:
        return entry[1]
    count = queryset.count()
    cache.set(key, (current, count), settings.PAGE_CACHE_SECONDS)
    return count


class _VersionedCountPaginator(DjangoPaginator):
    @cached_property
    def count(self) -> int:
        return versioned_count(self.object_list)


class KeysetPagination(PageNumberPagination):
    """Page numbers by default; keyset pages when the request has a ``cursor`` parameter."""

    def paginate_queryset(self, queryset, request, view=None):
        self.cursor_mode = CURSOR_PARAM in request.query_params
        if not self.cursor_mode:
            # Anonymous lists count through the cache: what a signed-in user sees can also
            # depend on rows of their own (memberships) that no page-cache topic tracks.
            anonymous = not getattr(request.user, "is_authenticated", False)
            self.django_paginator_class = _VersionedCountPaginator if anonymous else DjangoPaginator
            return super().paginate_queryset(queryset, request, view)
        self.request = request
        size = self.get_page_size(request)
        keys = sort_keys(queryset)
        # NULLS LAST in both directions, on every database, to match ``_after``.
        queryset = queryset.order_by(*[OrderBy(F(k.name), descending=k.descending, nulls_last=True) for k in keys])
        cursor = request.query_params.get(CURSOR_PARAM, "")
        if cursor:
            values = _decode(cursor, len(keys))
            try:
                queryset = queryset.filter(_after(keys, values))
            except (DjangoValidationError, TypeError, ValueError) as exc:
                raise _invalid() from exc  # well-formed, but not values of these columns
        rows = list(queryset[: size + 1])
        page = rows[:size]
        self.next_cursor = None
        if len(rows) > size:
            self.next_cursor = _encode([getattr(page[-1], k.name) for k in keys])
        return page

    def get_paginated_response(self, data):
        if not getattr(self, "cursor_mode", False):
            return super().get_paginated_response(data)
        next_link = None
        if self.next_cursor is not None:
            next_link = replace_query_param(self.request.build_absolute_uri(), CURSOR_PARAM, self.next_cursor)
        return Response({"next": next_link, "results": data})

    def get_paginated_response_schema(self, schema):
        page_schema = super().get_paginated_response_schema(schema)
        page_schema["required"] = ["next", "results"]
        page_schema["properties"]["count"]["description"] = "Total rows; only with page numbers, not with a cursor."
        page_schema["properties"]["previous"]["description"] = "Only with page numbers, not with a cursor."
        page_schema["properties"]["next"]["description"] = "The next page (same mode as this one); null at the end."
        return page_schema

    def get_schema_operation_parameters(self, view):
        parameters = super().get_schema_operation_parameters(view)
        parameters.append(
            {
                "name": CURSOR_PARAM,
                "required": False,
                "in": "query",
                "description": (
                    "Keyset pagination for deep pages: pass an empty cursor for the first page, then follow "
                    "`next`. Each page costs the same whatever its depth and inserts never shift it. "
                    "Without `cursor`, `page` numbers work as before."
                ),
                "schema": {"type": "string"},
            }
        )
        return parameters
