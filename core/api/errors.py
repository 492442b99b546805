"""One JSON error format for the whole API.

Every error body has ``detail`` (a sentence for people) and ``code``;
validation errors add ``errors``, a mapping of field name to messages, with
``non_field_errors`` for errors about the whole request.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import exceptions, serializers
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from core.api.throttles import RateLimited


def _as_drf(exc: Exception) -> Exception:
    if isinstance(exc, DjangoValidationError):
        if hasattr(exc, "error_dict"):
            return exceptions.ValidationError(exc.message_dict)
        return exceptions.ValidationError({"non_field_errors": exc.messages})
    if isinstance(exc, Http404):
        return exceptions.NotFound()
    if isinstance(exc, DjangoPermissionDenied):
        # A refusal with a stable ``code`` (e.g. ``mobile_not_verified``) keeps its sentence and code.
        code = getattr(exc, "code", None)
        if code and exc.args:
            return exceptions.PermissionDenied(detail=str(exc.args[0]), code=code)
        return exceptions.PermissionDenied()
    return exc


def _field_errors(detail) -> dict:
    if isinstance(detail, dict):
        return detail
    if isinstance(detail, list):
        return {"non_field_errors": detail}
    return {"non_field_errors": [detail]}


def exception_handler(exc: Exception, context: dict) -> Response | None:
    exc = _as_drf(exc)
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        response.data = {
            "detail": _("The submitted data is not valid."),
            "code": "invalid",
            "errors": _field_errors(exc.detail),
        }
    elif isinstance(exc, exceptions.ParseError):
        # DRF's sentence is English with the parser's own message; every 400 carries ``errors``.
        detail = _("The request body could not be read: send well-formed JSON or form data.")
        response.data = {"detail": detail, "code": "parse_error", "errors": {"non_field_errors": [detail]}}
    elif isinstance(exc, RateLimited):
        # The portal's own refusals carry a Persian sentence and their code (the wait is in Retry-After).
        response.data = {"detail": str(exc.detail), "code": getattr(exc.detail, "code", None) or "throttled"}
    elif isinstance(exc, exceptions.Throttled):
        # DRF's own sentence ends in an untranslated "Expected available in N seconds";
        # the wait is in the Retry-After header (set by DRF when known).
        response.data = {"detail": _("Too many attempts. Please wait a while and try again."), "code": "throttled"}
    elif isinstance(exc, exceptions.APIException):
        detail = exc.detail
        response.data = {
            "detail": str(detail) if not isinstance(detail, (dict, list)) else _("Request failed."),
            "code": getattr(detail, "code", None) or exc.default_code,
        }
    return response


class ErrorSerializer(serializers.Serializer):
    """Documents the error body in the OpenAPI schema."""

    detail = serializers.CharField()
    code = serializers.CharField()


@extend_schema_field(
    {
        "type": "object",
        "description": "Messages per field; a nested field (an object or a list of them) nests its messages.",
        "additionalProperties": {
            "anyOf": [
                {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "object"}]}},
                {"type": "object"},
            ]
        },
    }
)
class FieldErrorsField(serializers.DictField):
    pass


class ValidationErrorSerializer(ErrorSerializer):
    errors = FieldErrorsField()
