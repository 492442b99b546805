"""Plain create, change and delete of reference rows (a city, a word in a list), cleaned and audited.

The app's own service checks who may do it and calls these; they write the
row the same way every time: bidi controls stripped, the model's own checks
run, one audit entry named ``<model>.created``/``.changed``/``.deleted`` with
what changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.db import models, transaction

from core.audit import log_action
from core.text import clean_instance


def _values(record: models.Model) -> dict[str, Any]:
    return {
        f.name: "" if getattr(record, f.attname) is None else str(getattr(record, f.attname))
        for f in record._meta.concrete_fields
        if f.editable and not f.primary_key and f.name != "password"
    }


def _changes(before: dict[str, Any], after: dict[str, Any]) -> dict[str, list[Any]]:
    return {key: [before.get(key, ""), value] for key, value in after.items() if before.get(key, "") != value}


def created_changes(record: models.Model) -> dict[str, list[Any]]:
    """What the audit entry of a new ``record`` says changed: every field, from nothing."""
    return _changes({}, _values(record))


@transaction.atomic
def record_save(
    *, actor: Any | None, record: models.Model, m2m: Mapping[str, Iterable[models.Model]] | None = None
) -> models.Model:
    """Create or change ``record`` (and set its many-to-many ``m2m`` values), with one audit entry."""
    created = record._state.adding or record.pk is None
    before: dict[str, Any] = dict.fromkeys(m2m or {}, [])
    if not created:
        stored = type(record)._default_manager.select_for_update().get(pk=record.pk)
        before = _values(stored)
        before |= {name: sorted(getattr(stored, name).values_list("pk", flat=True)) for name in m2m or {}}
    clean_instance(record)
    # Columns the model fills itself (normalised twins, denormalised keys) are its own to check.
    record.full_clean(exclude=[f.name for f in record._meta.concrete_fields if not f.editable])
    record.save()
    after = _values(record)
    for name, values in (m2m or {}).items():
        getattr(record, name).set(values)
        after[name] = sorted(getattr(record, name).values_list("pk", flat=True))
    log_action(
        actor=actor,
        action=f"{record._meta.model_name}.{'created' if created else 'changed'}",
        target=record,
        changes=_changes(before, after),
    )
    return record


@transaction.atomic
def record_delete(*, actor: Any | None, record: models.Model) -> None:
    """Delete ``record``; the audit entry keeps what it was."""
    log_action(
        actor=actor, action=f"{record._meta.model_name}.deleted", target=record, changes=_changes({}, _values(record))
    )
    record.delete()
