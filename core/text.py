"""One cleaning of user text: bidi controls never reach the database, by whatever door a row comes in.

Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make text
display in an order other than the one it was typed in: a name typed as
``\u202eexe.pdf`` shows as ``fdp.exe``. Persian text never needs them (the page
sets the direction, and ``dir="auto"`` handles mixed text), so every text and
JSON column of the apps that ask for it (``clean_app`` from their
``AppConfig.ready()``) drops them: ``pre_save`` runs ``clean_instance`` on each
saved row, and bulk writes (``bulk_create``/``update`` send no signal) call
``clean_instance`` themselves. LRM/RLM marks stay: they only nudge
punctuation and cannot reorder a run. The same pass drops C0 control
characters other than tab and line breaks (invisible, and a NUL is refused
by PostgreSQL).

``clean_text`` is what services apply to free text typed by citizens
(comments, ideas, reasons) on top: one line-ending style, no runs of blank
lines, trimmed.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from django.db import models
from django.db.models.signals import pre_save

BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
# C0 controls and DEL, except tab and line breaks: invisible, and a NUL is refused by PostgreSQL.
CONTROL_CHARACTERS = frozenset(map(chr, [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F]))
_UNSAFE = BIDI_CONTROLS | CONTROL_CHARACTERS
_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))
_UNSAFE_TABLE = dict.fromkeys(map(ord, _UNSAFE))
_BLANK_LINES = re.compile(r"\n{3,}")

# Apps whose rows are cleaned; each adds itself from ``AppConfig.ready()`` (``clean_app``).
_CLEANED_APPS: set[str] = {"core"}


def clean_app(app_label: str) -> None:
    """Strip bidi and control characters from every text and JSON column of ``app_label``'s models on save."""
    _CLEANED_APPS.add(app_label)


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidi embeddings, overrides and isolates."""
    return text.translate(_TABLE)


def clean_text(text: str | None) -> str:
    """Free text as typed by a citizen: no bidi or control characters, one line-ending style, trimmed."""
    if not text:
        return ""
    text = strip_bidi_controls(str(text).replace("\r\n", "\n").replace("\r", "\n"))
    text = "".join(ch for ch in text if ch in "\n\t" or unicodedata.category(ch) != "Cc")
    return _BLANK_LINES.sub("\n\n", text).strip()


def clean_value(value: Any) -> Any:
    """``value`` without bidi or control characters in any string in it, however deeply nested (JSON)."""
    if isinstance(value, str):
        return value.translate(_UNSAFE_TABLE) if not _UNSAFE.isdisjoint(value) else value
    if isinstance(value, dict):
        return {clean_value(key): clean_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return type(value)(clean_value(item) for item in value)
    return value


def _cleaned_fields(model: type[models.Model]) -> list[str]:
    cached = model.__dict__.get("_cleaned_text_fields")
    if cached is None:
        cached = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, models.CharField | models.TextField | models.JSONField) and f.name != "password"
        ]
        model._cleaned_text_fields = cached
    return cached


def clean_instance(instance: models.Model) -> models.Model:
    """Strip bidi and control characters from every text and JSON field of ``instance`` in place; returns it.

    Bulk services call it on each row before ``bulk_create``; ``pre_save`` calls
    it for every other write.
    """
    for attname in _cleaned_fields(type(instance)):
        value = getattr(instance, attname)
        if value is not None and not isinstance(value, int | float | bool):
            cleaned = clean_value(value)
            if cleaned is not value:
                setattr(instance, attname, cleaned)
    return instance


def _clean_on_save(sender, instance, raw: bool = False, **kwargs) -> None:
    if not raw and sender._meta.app_label in _CLEANED_APPS:
        clean_instance(instance)


def connect_signals() -> None:
    pre_save.connect(_clean_on_save, dispatch_uid="core.text.clean_on_save")
