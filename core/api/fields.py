"""Serializer fields every app's API shares."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.jalali import jalali_text


@extend_schema_field(OpenApiTypes.STR)
class JalaliField(serializers.ReadOnlyField):
    """Read-only Jalali twin of a date or datetime attribute (ASCII digits)."""

    def to_representation(self, value):
        return jalali_text(value)


class ChoiceLabelField(serializers.CharField):
    """Read-only label of a choice attribute (``source`` is the attribute).

    Same text as the model's ``get_FOO_display()``, which rebuilds its
    value-to-label map on every call; long lists pay that per row and field.
    """

    def __init__(self, choices, **kwargs) -> None:
        self._labels = dict(choices)
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return str(self._labels.get(value, value))


class AbsoluteUrlField(serializers.CharField):
    """Read-only ``get_absolute_url()`` of the object, called directly (no per-row signature inspection)."""

    def __init__(self, **kwargs) -> None:
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, value):
        return value.get_absolute_url()
