"""The one place dates meet the Jalali calendar: conversion, formatting and parsing.

Template filters, form fields, API twins, admin columns, exports and
notification texts all come here, so a date reads the same everywhere. The
calendar arithmetic is jdatetime's (what django-jalali is built on). A moment
(a datetime) is first put on Tehran's clock, the project's ``TIME_ZONE``:
21:00 UTC on 19 March is already Nowruz.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
from typing import NamedTuple

import jdatetime
from django.utils import timezone

from core.persian import localize_digits, persian_active, to_ascii_digits

MONTHS_FA = (
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
)
MONTHS_EN = (
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
)

# 1403/02/15, 1403-2-15, ۱۴۰۳/۰۲/۱۵, ١٤٠٣.٠٢.١٥ (also with spaces around the separators).
_TYPED = re.compile(r"(\d{4})\s*[/\-.\u066b\u060c]\s*(\d{1,2})\s*[/\-.\u066b\u060c]\s*(\d{1,2})")
# Years a real decree, licence or project date can have; a Gregorian year typed
# by mistake (2024/05/05) is refused instead of becoming a date six centuries ahead.
MIN_JALALI_YEAR = 1250
MAX_JALALI_YEAR = 1600


class JalaliDate(NamedTuple):
    """A Jalali day, with the Tehran clock time when it came from a moment."""

    year: int
    month: int
    day: int
    hour: int | None = None
    minute: int | None = None


def tehran_time(value: dt.datetime) -> dt.datetime:
    """The one timezone rule: an aware moment on Tehran's clock; a naive one is taken as already local."""
    if timezone.is_aware(value):
        return timezone.localtime(value, timezone.get_default_timezone())
    return value


@functools.lru_cache(maxsize=8192)
def _day(value: dt.date) -> tuple[int, int, int]:
    """Calendar conversion is the costly part and lists repeat days: convert each day once."""
    j = jdatetime.date.fromgregorian(date=value)
    return j.year, j.month, j.day


def jalali_parts(value: object) -> JalaliDate | None:
    """A date or datetime (Gregorian, or already Jalali) as its Jalali parts; None for anything else."""
    if isinstance(value, jdatetime.datetime):
        return JalaliDate(value.year, value.month, value.day, value.hour, value.minute)
    if isinstance(value, jdatetime.date):
        return JalaliDate(value.year, value.month, value.day)
    if isinstance(value, dt.datetime):
        moment = tehran_time(value)
        return JalaliDate(*_day(moment.date()), moment.hour, moment.minute)
    if isinstance(value, dt.date):
        return JalaliDate(*_day(value))
    return None


def jalali_date_string(value: object, *, with_time: bool = False, numeric: bool = False, machine: bool = False) -> str:
    """The one Jalali formatter; ``""`` for no date.

    For people (the default) it follows the active language: ``۱۴ آبان ۱۴۰۵``
    (``14 Aban 1405`` in English), ``۱۴۰۵/۰۸/۱۴`` when ``numeric``, and
    ``with_time`` adds ``، ۱۴:۳۰`` to a moment. For programs (``machine``: API
    twins, open data, form values) it is always ``1405/08/14`` in ASCII digits,
    and ``1405/08/14 14:30`` for a moment ``with_time``.
    """
    parts = jalali_parts(value)
    if parts is None:
        return ""
    timed = with_time and parts.hour is not None
    if machine:
        text = f"{parts.year:04d}/{parts.month:02d}/{parts.day:02d}"
        return f"{text} {parts.hour:02d}:{parts.minute:02d}" if timed else text
    persian = persian_active()
    if numeric:
        text = f"{parts.year:04d}/{parts.month:02d}/{parts.day:02d}"
    else:
        months = MONTHS_FA if persian else MONTHS_EN
        text = f"{parts.day} {months[parts.month - 1]} {parts.year}"
    if timed:
        text += f"{'، ' if persian else ', '}{parts.hour:02d}:{parts.minute:02d}"
    return localize_digits(text)


def jalali_text(value: dt.date | dt.datetime | None) -> str | None:
    """The twin programs read (API, open data): ``1403/05/12``, or ``1403/05/12 14:30`` for a moment."""
    if value is None:
        return None
    return jalali_date_string(value, with_time=True, machine=True)


def format_jalali_date(value: dt.date | dt.datetime | None) -> str:
    """What a Jalali date box shows: ``1403/02/15`` in ASCII digits, so any date picker can read it."""
    return jalali_date_string(value, machine=True)


def parse_jalali_date(value: object) -> dt.date:
    """``"۱۴۰۳/۰۲/۱۵"`` → ``date(2024, 5, 4)``; Persian, Arabic or ASCII digits. ValueError when it is not one."""
    match = _TYPED.fullmatch(to_ascii_digits(str(value)).strip())
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    if not MIN_JALALI_YEAR <= year <= MAX_JALALI_YEAR:
        raise ValueError(value)
    return jdatetime.date(year, month, day).togregorian()


def to_gregorian_date(value: object) -> dt.date:
    """A date people gave: a Gregorian or Jalali date or moment (its Tehran day), or Jalali text."""
    if isinstance(value, jdatetime.datetime):
        return value.togregorian().date()
    if isinstance(value, jdatetime.date):
        return value.togregorian()
    if isinstance(value, dt.datetime):
        return tehran_time(value).date()
    if isinstance(value, dt.date):
        return value
    return parse_jalali_date(value)


# --- months and years, for drill-downs and "this month" filters -------------------------------
def jalali_month_name(month: int) -> str:
    """``8`` → ``آبان`` (``Aban`` in English)."""
    return (MONTHS_FA if persian_active() else MONTHS_EN)[month - 1]


def gregorian_of(year: int, month: int = 1, day: int = 1) -> dt.date:
    """The Gregorian day of a Jalali one; ValueError when there is no such day (31 Esfand)."""
    if not MIN_JALALI_YEAR <= year <= MAX_JALALI_YEAR:
        raise ValueError(year)
    return jdatetime.date(year, month, day).togregorian()


def jalali_period(year: int, month: int | None = None, day: int | None = None) -> tuple[dt.date, dt.date]:
    """``[start, end)`` in Gregorian days of a Jalali year, month of it, or day of that month."""
    start = gregorian_of(year, month or 1, day or 1)
    if day is not None:
        return start, start + dt.timedelta(days=1)
    if month is not None:
        return start, gregorian_of(year + (month == 12), month % 12 + 1)
    return start, gregorian_of(year + 1)
