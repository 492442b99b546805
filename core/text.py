"""One rule for bidi control characters in stored text: they are removed when a row is saved.

Embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069) make text
display in an order other than the one it was typed in: a name typed as
``\u202eexe.pdf`` shows as ``fdp.exe``. Persian text never needs them (the page
sets the direction, and ``dir="auto"`` handles mixed text), so every text
column of the portal's own models drops them on save, whichever page, API,
admin form, import or service wrote the row. LRM/RLM marks stay: they only
nudge punctuation and cannot reorder a run.
"""

from __future__ import annotations

from django.db import models
from django.db.models.signals import pre_save

BIDI_CONTROLS = frozenset(map(chr, [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]))
_TABLE = dict.fromkeys(map(ord, BIDI_CONTROLS))
# Apps whose rows are cleaned; each adds itself from ``AppConfig.ready()`` (``clean_app``).
_CLEANED_APPS: set[str] = {"core"}


def clean_app(app_label: str) -> None:
    """Strip bidi controls from every text column of ``app_label``'s models on save."""
    _CLEANED_APPS.add(app_label)


def strip_bidi_controls(text: str) -> str:
    """``text`` without bidi embeddings, overrides and isolates."""
    return text.translate(_TABLE)


def _text_fields(model: type[models.Model]) -> list[str]:
    cached = model.__dict__.get("_bidi_text_fields")
    if cached is None:
        cached = [
            f.attname
            for f in model._meta.concrete_fields
            if isinstance(f, (models.CharField, models.TextField)) and f.name != "password"
        ]
        model._bidi_text_fields = cached
    return cached


def _strip_on_save(sender, instance, raw: bool = False, **kwargs) -> None:
    if raw or sender._meta.app_label not in _CLEANED_APPS:
        return
    for attname in _text_fields(sender):
        value = getattr(instance, attname)
        if isinstance(value, str) and not BIDI_CONTROLS.isdisjoint(value):
            setattr(instance, attname, strip_bidi_controls(value))


def connect_signals() -> None:
    pre_save.connect(_strip_on_save, dispatch_uid="core.text.strip_bidi_controls")
