"""Choice fields for list filters that read their rows once per form.

Django's ModelChoiceField queries once to validate the submitted id and again
to render the ``<select>``. Filter forms of the public lists (districts,
neighbourhoods, cities: a few hundred short rows at most) do both on every
request, so these fields load the rows once and serve both from memory.
"""

from __future__ import annotations

import html

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.functional import Promise
from django.utils.safestring import SafeString, mark_safe
from django_filters.fields import ModelChoiceField, ModelChoiceIterator

from core import pagecache


def _escape(text) -> str:
    """``conditional_escape`` without its lazy-string wrapper, which costs more than the escaping here."""
    if isinstance(text, Promise):
        text = str(text)
    if hasattr(text, "__html__"):
        return text.__html__()
    return html.escape(str(text))


def _attrs_html(attrs: dict) -> str:
    """What ``django/forms/widgets/attrs.html`` renders, built in Python."""
    return "".join(
        f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(str(value))}"'
        for name, value in attrs.items()
        if value is not False
    )


class FastSelect(forms.Select):
    """A ``<select>`` rendered in Python, byte for byte what Django's widget templates render.

    Django renders each ``<option>`` through two template includes; the list
    filters' neighbourhood select has hundreds of options, which made it most
    of a signed-in list page's CPU. Grouped choices and labels that are not
    text (which the templates would localise) take Django's own path.
    """

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        if self.allow_multiple_selected:
            return super().render(name, value, attrs, renderer)
        values = self.format_value(value)
        parts = [f'<select name="{_escape(name)}"{_attrs_html(self.build_attrs(self.attrs, attrs))}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if isinstance(option_label, (list, tuple)) or not isinstance(option_label, (str, Promise)):
                return super().render(name, value, attrs, renderer)
            if option_value is None:
                option_value = ""
            selected = not has_selected and str(option_value) in values
            has_selected |= selected
            parts.append(
                f'\n  <option value="{_escape(str(option_value))}"{" selected" if selected else ""}>'
                f"{_escape(option_label)}</option>\n"
            )
        parts.append("\n</select>")
        # Every name, value and label above went through _escape.
        return mark_safe("".join(parts))  # noqa: S308


_MAX_SHARED_QUERYSETS = 32
_shared_rows: dict[tuple[str, str], tuple[str, list]] = {}


def _place_rows(queryset) -> list:
    """The rows of a filter's place queryset, kept in the worker until the PLACES version changes.

    Every filter form of the public lists loads the same few hundred places
    (and their districts, for the neighbourhood labels) on every request; the
    rows are read-only here. The version is read before the query, so rows
    saved meanwhile are refetched on the next request, as the anonymous page
    cache does. Other querysets are read fresh every time.
    """
    topics = pagecache.list_topics(queryset.model)
    if topics is None:
        return list(queryset)
    key = (queryset.db, str(queryset.query))
    version, _ = pagecache.versions(topics)
    found = _shared_rows.get(key)
    if found is not None and found[0] == version:
        return found[1]
    rows = list(queryset)
    if len(_shared_rows) >= _MAX_SHARED_QUERYSETS:
        _shared_rows.clear()
    _shared_rows[key] = (version, rows)
    return rows


class _RowIterator(ModelChoiceIterator):
    """The choices in django-filter's order (empty, null, rows) from the field's loaded rows."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        if self.field.null_label is not None:
            yield (self.field.null_value, self.field.null_label)
        for obj in self.field.rows():
            yield self.choice(obj)

    def __len__(self) -> int:
        extra = (self.field.empty_label is not None) + (self.field.null_label is not None)
        return len(self.field.rows()) + extra

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.rows())


class OneQueryModelChoiceField(ModelChoiceField):
    iterator = _RowIterator
    widget = FastSelect

    def _get_queryset(self):
        return self._queryset

    def _set_queryset(self, queryset) -> None:
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(_get_queryset, _set_queryset)

    def rows(self) -> list:
        if getattr(self, "_rows", None) is None:
            self._rows = _place_rows(self.queryset)
        return self._rows

    def to_python(self, value):
        if self.null_label is not None and value == self.null_value:
            return value
        if value in self.empty_values:
            return None
        key = self.to_field_name or "pk"
        if isinstance(value, self.queryset.model):
            value = getattr(value, key)
        for obj in self.rows():
            if str(getattr(obj, key)) == str(value):
                return obj
        raise ValidationError(self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value})


class OneQueryModelChoiceFilter(django_filters.ModelChoiceFilter):
    """A ``ModelChoiceFilter`` whose field validates and renders from one query."""

    field_class = OneQueryModelChoiceField
