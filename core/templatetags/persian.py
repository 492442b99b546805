"""Template filters for Jalali dates and Persian digits.

Loaded as a builtin, so every template can write ``{{ d|jdate }}`` and
``{{ n|fa_digits }}``. Digits become Persian only when the active language is
Persian; English pages keep ASCII digits and Gregorian-free Jalali dates.
"""

from __future__ import annotations

import datetime as dt

import jdatetime
from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import timezone, translation

from core.persian import to_persian_digits

register = template.Library()

_MONTHS_FA = [
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
]
_MONTHS_EN = [
    "Farvardin",
    "Ordibehesht",
    "Khordad",
    "Tir",
    "Mordad",
    "Shahrivar",
    "Mehr",
    "Aban",
    "Azar",
    "Dey",
    "Bahman",
    "Esfand",
]


def _persian_active() -> bool:
    return (translation.get_language() or "fa").startswith("fa")


def localize_digits(value: object) -> str:
    text = str(value)
    return to_persian_digits(text) if _persian_active() else text


def to_jalali(value: dt.date | dt.datetime | None) -> jdatetime.date | jdatetime.datetime | None:
    if value is None or value == "":
        return None
    if isinstance(value, (jdatetime.date, jdatetime.datetime)):
        return value
    if isinstance(value, dt.datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return jdatetime.datetime.fromgregorian(datetime=value)
    if isinstance(value, dt.date):
        return jdatetime.date.fromgregorian(date=value)
    return None


def jalali_date_string(value, *, with_time: bool = False, numeric: bool = False) -> str:
    """``۱۴ آبان ۱۴۰۵`` (or ``1405/08/14`` when numeric), optionally ``، ۱۴:۳۰``."""
    j = to_jalali(value)
    if j is None:
        return ""
    if numeric:
        text = f"{j.year:04d}/{j.month:02d}/{j.day:02d}"
    else:
        months = _MONTHS_FA if _persian_active() else _MONTHS_EN
        text = f"{j.day} {months[j.month - 1]} {j.year}"
    if with_time and isinstance(j, jdatetime.datetime):
        sep = "، " if _persian_active() else ", "
        text += f"{sep}{j.hour:02d}:{j.minute:02d}"
    return localize_digits(text)


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
    if value is None or value == "":
        return ""
    text = intcomma(value, use_l10n=False)
    if _persian_active():
        text = text.replace(",", "٬")
    return localize_digits(text)
