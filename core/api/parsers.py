"""The API's JSON parser: bounded size, depth and length, finite numbers, no NUL characters.

DRF's parser reads any body whole and hands ``json.loads`` anything: a deeply
nested body raised ``RecursionError`` (a 500), ``1e400`` became infinity, and
a body of a million ids reached the serializers. Here a body over
``API_JSON_MAX_BYTES`` is refused (413) before it is read or parsed, and one
nested deeper than ``API_JSON_MAX_DEPTH``, with more than
``API_JSON_MAX_ITEMS`` array items and object members in all, with a
non-finite number or a NUL character is a 400 like any unreadable body.
"""

from __future__ import annotations

import json
import math

from django.conf import settings
from django.utils.translation import gettext_lazy as _
from rest_framework import exceptions, parsers, status


class RequestTooLarge(exceptions.APIException):
    status_code = status.HTTP_413_REQUEST_ENTITY_TOO_LARGE
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def _refuse_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise ValueError("number out of range")
    return value


def check_shape(data, *, max_depth: int, max_items: int) -> None:
    """Raise ``ValueError`` if ``data`` nests too deep, holds too many items or a NUL character."""
    items = 0
    stack = [(data, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                raise ValueError("NUL character")
        elif isinstance(value, list | dict):
            if depth > max_depth:
                raise ValueError("nested too deep")
            items += len(value)
            if items > max_items:
                raise ValueError("too many items")
            if isinstance(value, dict):
                stack.extend((key, depth) for key in value)
                stack.extend((item, depth + 1) for item in value.values())
            else:
                stack.extend((item, depth + 1) for item in value)


def loads(raw: bytes | str, *, max_depth: int, max_items: int):
    """``json.loads`` that refuses what the API must never see; every refusal is a ``ValueError``."""
    try:
        data = json.loads(raw, parse_constant=_refuse_constant, parse_float=_finite_float)
    except RecursionError as exc:
        raise ValueError("nested too deep") from exc
    check_shape(data, max_depth=max_depth, max_items=max_items)
    return data


class JSONParser(parsers.JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        parser_context = parser_context or {}
        limit = settings.API_JSON_MAX_BYTES
        request = parser_context.get("request")
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0) if request is not None else 0
        except ValueError:
            declared = 0
        if declared > limit:
            raise RequestTooLarge()
        raw = stream.read(limit + 1) if stream is not None else b""
        if len(raw) > limit:
            raise RequestTooLarge()
        encoding = parser_context.get("encoding", settings.DEFAULT_CHARSET)
        try:
            return loads(
                raw.decode(encoding),
                max_depth=settings.API_JSON_MAX_DEPTH,
                max_items=settings.API_JSON_MAX_ITEMS,
            )
        except ValueError as exc:  # UnicodeDecodeError and json's errors are ValueErrors too
            raise exceptions.ParseError(f"JSON parse error - {exc}") from exc
