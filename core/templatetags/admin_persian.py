"""The admin's pages in Persian: Jalali date drill-down, Persian page numbers, counts and filter choices.

Loaded by the project's admin templates (``templates/admin/``), which are
Django's own with these in place of the tags and values that print Gregorian
dates or ASCII digits.
"""

from __future__ import annotations

import re

from django import template
from django.contrib.admin.views.main import PAGE_VAR
from django.utils.html import format_html

from core.admin.display import change_message, display_text, jalali_date_hierarchy
from core.persian import localize_digits

register = template.Library()

_FACET_COUNT = re.compile(r"^(?P<title>.*) \((?P<count>\d+)\)$", re.S)


@register.inclusion_tag("admin/date_hierarchy.html")
def jalali_hierarchy(cl) -> dict:
    """The date drill-down of a changelist in Jalali years, months and days."""
    return jalali_date_hierarchy(cl)


@register.simple_tag
def fa_paginator_number(cl, i) -> str:
    """Django's ``paginator_number`` with Persian page numbers."""
    if i == cl.paginator.ELLIPSIS:
        return format_html("{} ", cl.paginator.ELLIPSIS)
    if i == cl.page_num:
        return format_html('<span class="this-page">{}</span> ', localize_digits(i))
    return format_html(
        '<a role="button" href="{}"{}>{}</a> ',
        cl.get_query_string({PAGE_VAR: i}),
        format_html(' class="{}"', "end") if i == cl.paginator.num_pages else "",
        localize_digits(i),
    )


@register.filter
def fa_text(value) -> str:
    """A value as admin cells show it (``core.admin.display.display_text``)."""
    return display_text(value)


@register.filter
def fa_choice(value) -> str:
    """A filter choice; the row count Django appends to it (``Tehran (3)``) in Persian digits."""
    match = _FACET_COUNT.match(str(value))
    if not match:
        return display_text(value)
    return format_html("{} ({})", display_text(match["title"]), localize_digits(match["count"]))


@register.filter
def history_line(entry) -> str:
    """What a history entry says was added, changed or deleted, in Persian."""
    return change_message(entry)
