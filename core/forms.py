"""Form pieces shared by every app: a date field people fill in the Jalali calendar.

Dates are stored as ordinary Gregorian ``DateField`` values; only the form
speaks Jalali, so the database, the API and date arithmetic stay plain. The
calendar itself is ``core.jalali``.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django_jalali.settings import jalali_settings

from core.jalali import format_jalali_date, to_gregorian_date


class JalaliDateInput(forms.TextInput):
    """A plain text box: left-to-right digits, a numeric keyboard on phones."""

    def __init__(self, attrs: dict | None = None):
        defaults = {"dir": "ltr", "inputmode": "numeric", "placeholder": "1403/02/15", "autocomplete": "off"}
        super().__init__({**defaults, **(attrs or {})})


class AdminJalaliDateInput(JalaliDateInput):
    """The Jalali text box with django-jalali's calendar picker, for the admin."""

    class Media:
        js = jalali_settings.ADMIN_JS_STATIC_FILES
        css = jalali_settings.ADMIN_CSS_STATIC_FILES

    def __init__(self, attrs=None):
        super().__init__({"class": "vjDateField", "size": "10", **(attrs or {})})


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
        try:
            return to_gregorian_date(value)
        except ValueError as exc:
            raise ValidationError(self.error_messages["invalid"], code="invalid") from exc

    def prepare_value(self, value):
        if isinstance(value, dt.date):
            return format_jalali_date(value)
        return value
