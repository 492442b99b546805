"""Template filters for Jalali dates and Persian digits.

Loaded as a builtin, so every template can write ``{{ d|jdate }}`` and
``{{ n|fa_digits }}``. Digits become Persian only when the active language is
Persian; English pages keep ASCII digits and Gregorian-free Jalali dates. The
work is done by ``core.jalali`` and ``core.persian``; these are their names in
templates.
"""

from __future__ import annotations

from django import template

from core.jalali import jalali_date_string
from core.persian import format_number, localize_digits

register = template.Library()


@register.filter
def jdate(value, arg: str = "") -> str:
    """A Jalali date; ``|jdate:"numeric"`` gives ``۱۴۰۵/۰۸/۱۴``."""
    return jalali_date_string(value, numeric=arg == "numeric")


@register.filter
def jdatetime_(value) -> str:
    return jalali_date_string(value, with_time=True)


register.filter("jdatetime", jdatetime_)


@register.filter
def fa_digits(value) -> str:
    if value is None:
        return ""
    return localize_digits(value)


@register.filter
def fa_number(value) -> str:
    """Thousands separators, then Persian digits: ``۱٬۲۵۰٬۰۰۰``."""
    return format_number(value)
