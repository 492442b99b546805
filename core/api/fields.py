"""Serializer fields every app's API shares."""

from __future__ import annotations

import itertools

from django.conf import settings
from django.utils.translation import gettext_lazy as _
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


class IdListField(serializers.ManyRelatedField):
    """A list of object ids, at most ``max_length`` long, resolved with one query.

    DRF's ``many=True`` related field looks every id up with its own query, so
    a body of 20,000 ids held a worker for seconds; the length is checked
    before anything is looked up (``MAX_IDS_PER_FIELD`` unless the field
    names its own maximum).
    """

    default_error_messages = {
        "max_length": _("Choose at most %(max)s items."),
        "incorrect_type": _("Each item must be the id (a whole number) of an object."),
        "does_not_exist": _("These ids do not exist or cannot be chosen: %(ids)s."),
    }

    def __init__(self, *, queryset, max_length: int | None = None, **kwargs) -> None:
        self.max_length = max_length or settings.MAX_IDS_PER_FIELD
        super().__init__(child_relation=serializers.PrimaryKeyRelatedField(queryset=queryset), **kwargs)

    def to_internal_value(self, data):
        if isinstance(data, str | bytes | dict) or not hasattr(data, "__iter__"):
            self.fail("not_a_list", input_type=type(data).__name__)
        data = list(itertools.islice(data, self.max_length + 1))
        if not self.allow_empty and not data:
            self.fail("empty")
        if len(data) > self.max_length:
            raise serializers.ValidationError(
                self.error_messages["max_length"] % {"max": self.max_length}, code="max_length"
            )
        ids = [self._id(item) for item in data]
        found = self.child_relation.get_queryset().in_bulk(set(ids))
        missing = [pk for pk in dict.fromkeys(ids) if pk not in found]
        if missing:
            raise serializers.ValidationError(
                self.error_messages["does_not_exist"] % {"ids": ", ".join(map(str, missing[:10]))},
                code="does_not_exist",
            )
        return [found[pk] for pk in dict.fromkeys(ids)]

    def _id(self, item) -> int:
        if isinstance(item, bool) or not isinstance(item, int | str):
            self.fail("incorrect_type")
        try:
            value = int(item)
        except ValueError:
            self.fail("incorrect_type")
        if not 0 < value < 2**63:
            self.fail("incorrect_type")
        return value
