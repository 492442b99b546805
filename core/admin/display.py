"""The admin in Persian: Jalali dates, Persian digits, Jalali drill-downs and filters, no internal fields.

Django's admin shows every stored value through two functions,
``display_for_field`` and ``display_for_value``: list cells, read-only fields
and inline rows all go through them. ``install()`` swaps them, once for the
whole admin site, for the ones here, so every date and moment of every admin
(ours, third-party apps', tomorrow's) is Jalali and every number has Persian
digits, with no per-field columns. Text people typed keeps its letters; its
ASCII digits become Persian unless it holds Latin letters (an address, a user
agent, a token prefix keep theirs: they are read as typed).

The date drill-down (``date_hierarchy``) and the date filters walk Jalali
years and months: ``JalaliChangeList`` reads ``?created_at__year=1404`` as a
Jalali year and ``jalali_date_hierarchy`` lists Jalali years, months and days.
``PersianAdminMixin`` brings both to an admin and hides the portal's internal
columns (``id``, the ``*_normalized`` search twins, an admin's own
``internal_fields``) from its lists, forms and read-only views.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import json
import re
from collections.abc import Iterable

from django.contrib import admin
from django.contrib.admin import helpers
from django.contrib.admin import utils as admin_utils
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.templatetags import admin_list
from django.contrib.admin.views.main import ChangeList
from django.core.validators import EMPTY_VALUES
from django.db import models
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeData
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext as _

from core.jalali import jalali_date_string, jalali_month_name, jalali_parts, jalali_period
from core.persian import format_number, localize_digits

_django_display_for_field = admin_utils.display_for_field
_django_display_for_value = admin_utils.display_for_value

_LATIN = re.compile(r"[A-Za-z]")
_DIGIT = re.compile(r"[0-9۰-۹]")
_LETTER = re.compile(r"[^\W\d_]")
# Kept as stored: what a person copies, follows or compares character by character.
_MACHINE_FIELDS = (models.EmailField, models.SlugField, models.GenericIPAddressField, models.UUIDField)


# --- values --------------------------------------------------------------------------------
def display_text(value: object) -> str:
    """Text as the admin shows it: Persian digits unless it holds Latin letters; a bare number reads left to right."""
    if isinstance(value, SafeData):
        return value
    text = str(value)
    if _LATIN.search(text):
        return text
    text = localize_digits(text)
    if _DIGIT.search(text) and not _LETTER.search(text):
        return format_html('<bdi dir="ltr">{}</bdi>', text)
    return text


def display_for_value(value, empty_value_display, boolean=False):
    """Django's ``display_for_value``, in Jalali and Persian digits."""
    if boolean or value in EMPTY_VALUES or isinstance(value, bool):
        return _django_display_for_value(value, empty_value_display, boolean)
    if isinstance(value, dt.datetime):
        return jalali_date_string(value, with_time=True)
    if isinstance(value, dt.date):
        return jalali_date_string(value)
    if isinstance(value, dt.time):
        return localize_digits(value.strftime("%H:%M"))
    if isinstance(value, (int, decimal.Decimal, float)):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return "، ".join(str(display_text(item)) for item in value)
    return display_text(value)


def display_for_field(value, field, empty_value_display, avoid_link=False):
    """Django's ``display_for_field`` in Jalali and Persian digits; choices, links, machine text as Django has them."""
    if (
        getattr(field, "flatchoices", None)
        or isinstance(field, (models.BooleanField, models.FileField, models.URLField, models.JSONField))
        or value in field.empty_values
    ):
        return _django_display_for_field(value, field, empty_value_display, avoid_link)
    if isinstance(field, _MACHINE_FIELDS):
        return str(value)
    if isinstance(field, models.DateTimeField):
        return jalali_date_string(value, with_time=True)
    if isinstance(field, (models.DateField, models.TimeField, models.DecimalField, models.IntegerField)):
        return display_for_value(value, empty_value_display)
    if isinstance(field, models.FloatField):
        return format_number(value)
    return display_for_value(value, empty_value_display)


def _field_label(name: str) -> str:
    """A field's label as the history stored it, translated: Django stores it capitalised ("Progress (%)")."""
    translated = gettext(name)
    if translated == name and name[:1].isupper():
        lowered = name[:1].lower() + name[1:]
        if (other := gettext(lowered)) != lowered:
            return other
    return translated


def change_message(entry) -> str:
    """A history line (``LogEntry.get_change_message``) with every field name in the page's language."""
    try:
        parts = json.loads(entry.change_message) if entry.change_message.startswith("[") else None
    except json.JSONDecodeError:
        parts = None
    if isinstance(parts, list):
        for part in parts:
            for detail in part.values() if isinstance(part, dict) else ():
                if isinstance(detail, dict) and isinstance(detail.get("fields"), list):
                    detail["fields"] = [_field_label(str(name)) for name in detail["fields"]]
        entry = copy.copy(entry)
        entry.change_message = json.dumps(parts)
    return display_text(entry.get_change_message())


# Changelist cells longer than this are cut with "…"; the cell's title and the change page keep the whole text.
LIST_CELL_CHARS = 90


def list_cell(shown):
    """A changelist cell's text, cut to ``LIST_CELL_CHARS`` when longer (markup is left as it is)."""
    if isinstance(shown, SafeData) or not isinstance(shown, str) or len(shown) <= LIST_CELL_CHARS:
        return shown
    return format_html('<span class="cell-text" title="{}">{}</span>', shown, Truncator(shown).chars(LIST_CELL_CHARS))


def list_display_for_value(value, empty_value_display, boolean=False):
    return list_cell(display_for_value(value, empty_value_display, boolean))


def list_display_for_field(value, field, empty_value_display, avoid_link=False):
    return list_cell(display_for_field(value, field, empty_value_display, avoid_link))


def install() -> None:
    """Every admin page shows values through the functions above (list cells, read-only fields, inline rows)."""
    for module in (admin_utils, helpers):
        module.display_for_field = display_for_field
        module.display_for_value = display_for_value
    admin_list.display_for_field = list_display_for_field
    admin_list.display_for_value = list_display_for_value


# --- filters: "this month" and "this year" are Jalali ---------------------------------------
class JalaliDateFieldListFilter(admin.DateFieldListFilter):
    """Django's date filter with the Jalali month and year: "this month" is Azar, not December."""

    def __init__(self, field, request, params, model, model_admin, field_path):
        super().__init__(field, request, params, model, model_admin, field_path)
        today = jalali_parts(timezone.localdate())
        periods = {_("This month"): jalali_period(today.year, today.month), _("This year"): jalali_period(today.year)}
        links = []
        for title, lookup in self.links:
            if str(title) in periods and lookup:
                start, end = (_moment(day, field) for day in periods[str(title)])
                lookup = {self.lookup_kwarg_since: str(start), self.lookup_kwarg_until: str(end)}
            links.append((title, lookup))
        self.links = tuple(links)


admin.FieldListFilter.register(lambda f: isinstance(f, models.DateField), JalaliDateFieldListFilter, take_priority=True)


def _moment(day: dt.date, field) -> dt.date | dt.datetime:
    """The start of a Tehran day for a moment column; the day itself for a date column."""
    if isinstance(field, models.DateTimeField):
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))
    return day


# --- the date drill-down ----------------------------------------------------------------------
class JalaliChangeList(ChangeList):
    """``date_hierarchy`` parameters name a Jalali year, month and day; the rows are those of that period."""

    def _hierarchy_field(self):
        return admin_utils.get_fields_from_path(self.model, self.date_hierarchy)[-1]

    def get_filters_params(self, params=None):
        lookup_params = super().get_filters_params(params)
        self.jalali_bounds = None
        if not self.date_hierarchy:
            return lookup_params
        parts = [lookup_params.pop(f"{self.date_hierarchy}__{unit}", None) for unit in ("year", "month", "day")]
        if parts[0] is not None:
            try:
                numbers = [int(part[-1]) if part is not None else None for part in parts]
                self.jalali_bounds = jalali_period(*numbers)
            except (TypeError, ValueError) as exc:
                raise IncorrectLookupParameters(exc) from exc
        return lookup_params

    def get_filters(self, request):
        specs, has_filters, remaining, duplicates, active = super().get_filters(request)
        if getattr(self, "jalali_bounds", None):
            field = self._hierarchy_field()
            start, end = (_moment(day, field) for day in self.jalali_bounds)
            remaining[f"{self.date_hierarchy}__gte"] = [start]
            remaining[f"{self.date_hierarchy}__lt"] = [end]
        return specs, has_filters, remaining, duplicates, active


def jalali_date_hierarchy(cl) -> dict:
    """What ``admin/date_hierarchy.html`` shows: the Jalali years, months or days that have rows."""
    if not isinstance(cl, JalaliChangeList):
        return admin_list.date_hierarchy(cl)
    if not cl.date_hierarchy:
        return {}
    field_name = cl.date_hierarchy
    field = cl._hierarchy_field()
    kind = "datetimes" if isinstance(field, models.DateTimeField) else "dates"
    days = sorted({jalali_parts(day)[:3] for day in getattr(cl.queryset, kind)(field_name, "day")})
    names = {unit: f"{field_name}__{unit}" for unit in ("year", "month", "day")}
    year, month, day = (cl.params.get(names[unit]) for unit in ("year", "month", "day"))

    def link(**lookups) -> str:
        return cl.get_query_string({names[unit]: value for unit, value in lookups.items()}, [f"{field_name}__"])

    def digits(*parts: object) -> str:
        return localize_digits(" ".join(str(part) for part in parts))

    if not (year or month or day) and days:
        if days[0][0] == days[-1][0]:
            year = days[0][0]
            if days[0][1] == days[-1][1]:
                month = days[0][1]
    if year and month and day:
        return {
            "show": True,
            "back": {"link": link(year=year, month=month), "title": digits(jalali_month_name(int(month)), year)},
            "choices": [{"title": digits(day, jalali_month_name(int(month)))}],
        }
    if year and month:
        return {
            "show": True,
            "back": {"link": link(year=year), "title": digits(year)},
            "choices": [
                {"link": link(year=year, month=month, day=d), "title": digits(d, jalali_month_name(m))}
                for _y, m, d in days
            ],
        }
    if year:
        return {
            "show": True,
            "back": {"link": link(), "title": _("All dates")},
            "choices": [
                {"link": link(year=year, month=m), "title": digits(jalali_month_name(m), year)}
                for m in sorted({m for _y, m, _d in days})
            ],
        }
    return {
        "show": True,
        "back": None,
        "choices": [{"link": link(year=y), "title": digits(y)} for y in sorted({y for y, _m, _d in days})],
    }


# --- one mixin for every admin -----------------------------------------------------------------
class PersianAdminMixin:
    """Jalali drill-downs, and the portal's internal columns kept out of lists, forms and read-only views.

    ``internal_fields`` names an admin's own machinery (claim tokens, digests)
    beside what every admin hides: ``id`` and the ``*_normalized`` search twins.
    """

    internal_fields: tuple[str, ...] = ()

    def is_internal(self, name: object) -> bool:
        return isinstance(name, str) and (name == "id" or name.endswith("_normalized") or name in self.internal_fields)

    def _visible(self, names: Iterable) -> list:
        kept = []
        for name in names:
            if isinstance(name, (list, tuple)):
                line = self._visible(name)
                if line:
                    kept.append(tuple(line))
            elif not self.is_internal(name):
                kept.append(name)
        return kept

    def get_changelist(self, request, **kwargs):
        return JalaliChangeList

    def get_list_display(self, request):
        return self._visible(super().get_list_display(request))

    def get_exclude(self, request, obj=None):
        internal = [f.name for f in self.model._meta.concrete_fields if self.is_internal(f.name)]
        excluded = list(super().get_exclude(request, obj) or ())
        return [*excluded, *(name for name in internal if name not in excluded)] or None

    def get_readonly_fields(self, request, obj=None):
        return self._visible(super().get_readonly_fields(request, obj))

    def get_fields(self, request, obj=None):
        return self._visible(super().get_fields(request, obj))

    def get_fieldsets(self, request, obj=None):
        return [
            (title, {**options, "fields": self._visible(options.get("fields", ()))})
            for title, options in super().get_fieldsets(request, obj)
        ]
