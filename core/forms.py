"""Form pieces shared by every app: a date field people fill in the Jalali calendar.

Dates are stored as ordinary Gregorian ``DateField`` values; only the form
speaks Jalali, so the database, the API and date arithmetic stay plain.
"""

from __future__ import annotations

import datetime as dt
import re

import jdatetime
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from core.persian import to_ascii_digits

# 1403/02/15, 1403-2-15, ۱۴۰۳/۰۲/۱۵, ١٤٠٣.٠٢.١٥ (also with spaces around the separators).
_JALALI = re.compile(r"(\d{4})\s*[/\-.\u066b\u060c]\s*(\d{1,2})\s*[/\-.\u066b\u060c]\s*(\d{1,2})")
# Years a real decree, licence or project date can have; a Gregorian year typed
# by mistake (2024/05/05) is refused instead of becoming a date six centuries ahead.
MIN_JALALI_YEAR = 1250
MAX_JALALI_YEAR = 1600


def parse_jalali_date(value: str) -> dt.date:
    """``"۱۴۰۳/۰۲/۱۵"`` → ``date(2024, 5, 4)``; ValueError when it is not a Jalali date."""
    match = _JALALI.fullmatch(to_ascii_digits(str(value)).strip())
    if not match:
        raise ValueError(value)
    year, month, day = (int(part) for part in match.groups())
    if not MIN_JALALI_YEAR <= year <= MAX_JALALI_YEAR:
        raise ValueError(value)
    return jdatetime.date(year, month, day).togregorian()


def format_jalali_date(value: dt.date | None) -> str:
    """``date(2024, 5, 4)`` → ``"1403/02/15"`` (ASCII digits, so any date picker can read it)."""
    if value is None:
        return ""
    j = jdatetime.date.fromgregorian(date=value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


class JalaliDateInput(forms.TextInput):
    """A plain text box: left-to-right digits, a numeric keyboard on phones."""

    def __init__(self, attrs: dict | None = None):
        defaults = {"dir": "ltr", "inputmode": "numeric", "placeholder": "1403/02/15", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})


class JalaliDateField(forms.DateField):
    """Takes a Jalali date (Persian, Arabic or ASCII digits) and gives a Gregorian ``date``.

    Renders the stored date back in Jalali, so editing a record shows what
    people expect to see.
    """

    widget = JalaliDateInput
    default_error_messages = {
        "invalid": _("Enter a valid Jalali date, for example 1403/02/15."),
    }

    def to_python(self, value):
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value.date()
        if isinstance(value, dt.date):
            return value
        if isinstance(value, jdatetime.datetime):
            return value.togregorian().date()
        if isinstance(value, jdatetime.date):
            return value.togregorian()
        try:
            return parse_jalali_date(value)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, dt.datetime):
            value = value.date()
        if isinstance(value, dt.date):
            return format_jalali_date(value)
        return value
