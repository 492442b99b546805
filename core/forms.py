"""Form pieces shared by every app: a date field people fill in the Jalali calendar.

Dates are stored as ordinary Gregorian ``DateField`` values; only the form
speaks Jalali, so the database, the API and date arithmetic stay plain. The
calendar itself is ``core.jalali``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable
from typing import Any

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.forms.models import ModelChoiceIterator
from django.forms.widgets import Script
from django.utils.translation import gettext_lazy as _
from django_jalali.settings import jalali_settings

from core.jalali import format_jalali_date, to_gregorian_date
from core.persian import sort_key


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


class _BoundedChoices:
    """Refuses more than ``max_choices`` values before any of them is checked or looked up."""

    max_choices: int

    def clean(self, value):
        if isinstance(value, list | tuple) and len(value) > self.max_choices:
            raise ValidationError(_("Choose at most %(max)s items.") % {"max": self.max_choices}, code="max_choices")
        return super().clean(value)


class BoundedModelMultipleChoiceField(_BoundedChoices, forms.ModelMultipleChoiceField):
    """A many-relation on a page form: at most ``MAX_IDS_PER_FIELD`` ids, resolved with one query."""

    def __init__(self, queryset, *, max_choices: int | None = None, **kwargs) -> None:
        self.max_choices = max_choices or settings.MAX_IDS_PER_FIELD
        super().__init__(queryset, **kwargs)


class BoundedMultipleChoiceField(_BoundedChoices, forms.MultipleChoiceField):
    """Several fixed choices: never more values than there are choices."""

    def __init__(self, *, choices=(), max_choices: int | None = None, **kwargs) -> None:
        self.max_choices = max_choices or max(len(list(choices)), 1)
        super().__init__(choices=choices, **kwargs)


class ReasonForm(forms.Form):
    """The reason staff give for a decision in the admin (``core.admin.with_reason``); it goes on record."""

    note = forms.CharField(label=_("Reason or what to fix"), widget=forms.Textarea(attrs={"rows": 4}))


class PickerSelectMultiple(forms.SelectMultiple):
    """A plain ``<select multiple>`` that ``js/pickers.js`` turns into a searchable picker where scripts run.

    Without scripts it stays a grouped list people pick from with Ctrl/Cmd; the
    picker's Persian strings ride on ``data-`` attributes, so no inline script
    is needed (the CSP refuses them).
    """

    class Media:
        css = {"all": ("css/vendor/tom-select.min.css",)}
        js = (Script("js/vendor/tom-select.complete.min.js", defer=True), Script("js/pickers.js", defer=True))

    def __init__(self, attrs: dict | None = None):
        defaults = {
            "size": 8,
            "data-picker": "",
            "data-picker-empty": _("No results found"),
            "data-picker-placeholder": _("Type to search…"),
            "data-picker-remove": _("Remove"),
        }
        super().__init__({**defaults, **(attrs or {})})


class GroupedChoiceIterator(ModelChoiceIterator):
    """The queryset's rows as ``<optgroup>``s: groups by their sort key, rows in Persian dictionary order."""

    def __iter__(self):
        groups: dict[tuple[Hashable, str], list] = {}
        queryset = self.queryset if self.queryset._prefetch_related_lookups else self.queryset.iterator()
        for obj in queryset:
            groups.setdefault(self.field.group_of(obj), []).append(obj)
        for (_key, label), rows in sorted(groups.items(), key=lambda item: item[0][0]):
            rows.sort(key=self.field.order_of)
            yield label, [self.choice(obj) for obj in rows]


class GroupedModelMultipleChoiceField(BoundedModelMultipleChoiceField):
    """Several rows picked from groups (neighbourhoods by district): the choices are grouped, the check is not.

    ``group_of(obj)`` gives ``(sort key, group label)``; ``label_of(obj)`` the
    option's text; ``order_of(obj)`` its place in the group (by default the
    label in Persian dictionary order). Validation still runs on the queryset alone, so a value
    outside it is refused however the page was built.
    """

    iterator = GroupedChoiceIterator
    widget = PickerSelectMultiple

    def __init__(
        self,
        queryset,
        *,
        group_of: Callable[[models.Model], tuple[Hashable, str]],
        label_of: Callable[[models.Model], str] = str,
        order_of: Callable[[models.Model], Any] | None = None,
        **kwargs,
    ) -> None:
        self.group_of = group_of
        self.label_of = label_of
        self.order_of = order_of or (lambda obj: sort_key(self.label_from_instance(obj)))
        super().__init__(queryset, **kwargs)

    def label_from_instance(self, obj) -> str:
        return self.label_of(obj)
