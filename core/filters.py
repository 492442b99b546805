"""Filter pieces every app's FilterSets share (pages and API alike)."""

from __future__ import annotations

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _


class StrictNullBooleanField(forms.NullBooleanField):
    """Empty means "no filter"; anything but true/false is an error instead of being silently ignored."""

    def to_python(self, value):
        if value in (None, ""):
            return None
        if value in (True, "True", "true", "1"):
            return True
        if value in (False, "False", "false", "0"):
            return False
        raise ValidationError(_("Enter true or false."), code="invalid")


class BooleanFilter(django_filters.BooleanFilter):
    """A yes/no filter that says so when given anything else (django-filter's widgets read it as "no filter")."""

    field_class = StrictNullBooleanField

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", forms.TextInput)  # hands the raw value to the field
        super().__init__(*args, **kwargs)
