"""Choice fields for list filters that read their rows once per form.

Django's ModelChoiceField queries once to validate the submitted id and again
to render the ``<select>``. Filter forms of the public lists (districts,
neighbourhoods, cities: a few hundred short rows at most) do both on every
request, so these fields load the rows once and serve both from memory.
"""

from __future__ import annotations

import django_filters
from django.core.exceptions import ValidationError
from django_filters.fields import ModelChoiceField, ModelChoiceIterator


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

    def _get_queryset(self):
        return self._queryset

    def _set_queryset(self, queryset) -> None:
        self._rows = None
        super()._set_queryset(queryset)

    queryset = property(_get_queryset, _set_queryset)

    def rows(self) -> list:
        if getattr(self, "_rows", None) is None:
            self._rows = list(self.queryset)
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
