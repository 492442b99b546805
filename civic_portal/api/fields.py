"""Serializer fields every app's API shares."""

from __future__ import annotations

import datetime as dt

import jdatetime
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


def jalali_text(value: dt.date | dt.datetime | None) -> str | None:
    """The API's Jalali twin: ``1403/05/12`` for a date, ``1403/05/12 14:30`` (Tehran time) for a moment."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        j = jdatetime.datetime.fromgregorian(datetime=timezone.localtime(value))
        return f"{j.year:04d}/{j.month:02d}/{j.day:02d} {j.hour:02d}:{j.minute:02d}"
    j = jdatetime.date.fromgregorian(date=value)
    return f"{j.year:04d}/{j.month:02d}/{j.day:02d}"


@extend_schema_field(OpenApiTypes.STR)
class JalaliField(serializers.ReadOnlyField):
    """Read-only Jalali twin of a date or datetime attribute (ASCII digits)."""

    def to_representation(self, value):
        return jalali_text(value)
