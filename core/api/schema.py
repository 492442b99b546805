"""OpenAPI generation: every operation documents the errors the API can answer with.

drf-spectacular documents what a view declares; the errors that come from the
framework around every view (bad filters, authentication, missing objects,
throttling) would otherwise be missing, and clients (and the schema fuzzing in
``tests/api/test_schema_fuzz.py``) would meet status codes the schema never
mentions. Views that declare an error themselves keep their own description.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import FieldDoesNotExist
from drf_spectacular import openapi
from drf_spectacular.authentication import SessionScheme
from drf_spectacular.utils import OpenApiResponse
from rest_framework import serializers

from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.fields import JalaliField

BAD_REQUEST = OpenApiResponse(
    ValidationErrorSerializer, description="The request is not valid; `errors` names each field and its messages."
)
FORBIDDEN = OpenApiResponse(
    ErrorSerializer,
    description="Not signed in, the credentials sent are not valid, or you may not do this to this object.",
)
NOT_FOUND = OpenApiResponse(ErrorSerializer, description="No such object (or page of results) that you may see.")
THROTTLED = OpenApiResponse(ErrorSerializer, description="Too many requests; try again after `Retry-After` seconds.")


class AutoSchema(openapi.AutoSchema):
    def get_operation(self, path, path_regex, path_prefix, method, registry) -> dict[str, Any] | None:
        operation = super().get_operation(path, path_regex, path_prefix, method, registry)
        if operation is None:
            return None
        responses = operation["responses"]
        for code, response in self._framework_errors(operation).items():
            if code not in responses:
                responses[code] = self._get_response_for_code(response, code)
        return operation

    def _map_basic_serializer(self, serializer, direction) -> dict[str, Any]:
        result = super()._map_basic_serializer(serializer, direction)
        if direction == "response":
            for name, field in serializer.fields.items():
                if name in result.get("properties", {}) and _blank_address(field):
                    result["properties"][name].pop("format", None)  # "" is the answer no format accepts
        return result

    def _get_serializer_field_meta(self, field, direction) -> dict[str, Any]:
        meta = super()._get_serializer_field_meta(field, direction)
        if direction == "response" and _answers_null(field):
            meta["nullable"] = True
        return meta

    def _framework_errors(self, operation: dict[str, Any]) -> dict[str, OpenApiResponse]:
        """The errors DRF itself answers around this view, whatever the view declares."""
        errors: dict[str, OpenApiResponse] = {}
        parameters = operation.get("parameters", [])
        if "requestBody" in operation or any(p["in"] == "query" for p in parameters):
            errors["400"] = BAD_REQUEST
        # Any credentials sent are checked, so a bad token is refused even where none is needed;
        # with session authentication first, DRF answers "not signed in" with 403, not 401.
        if self.view.get_authenticators():
            errors["403"] = FORBIDDEN
        if any(p["in"] == "path" for p in parameters) or any(p["name"] == "page" for p in parameters):
            errors["404"] = NOT_FOUND
        if self.view.get_throttles():
            errors["429"] = THROTTLED
        return errors


def _answers_null(field: serializers.Field) -> bool:
    """Fields that answer ``null`` without saying so: an empty file, the Jalali twin of an empty date."""
    if isinstance(field, serializers.FileField):
        return True  # DRF represents a missing file as null
    if isinstance(field, JalaliField):
        source = _model_field(field)
        return source is None or source.null
    return False


def _blank_address(field: serializers.Field) -> bool:
    """An email or web address that may be left empty, and is then answered as ``""``."""
    if not isinstance(field, (serializers.EmailField, serializers.URLField)):
        return False
    return field.allow_blank or getattr(_model_field(field), "blank", False)


def _model_field(field: serializers.Field):
    """The model field a serializer field reads, when it reads one directly."""
    model = getattr(getattr(field.parent, "Meta", None), "model", None)
    if model is None or "." in field.source:
        return None
    try:
        return model._meta.get_field(field.source)
    except FieldDoesNotExist:
        return None


class PortalSessionScheme(SessionScheme):
    """Documents the portal's session authentication (``core.api.sessions``) as the cookie scheme it is."""

    target_class = "core.api.sessions.SessionAuthentication"
