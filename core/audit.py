"""Record decisions people argue about (verification, moderation, phase changes), and name them for people.

Apps register their actions' labels here from their ``ready()``
(``register_action_labels``; the registry lives with ``AuditEntry``).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEntry, action_label, register_action_labels
from core.text import clean_instance

__all__ = ["action_label", "history", "log_action", "log_actions", "register_action_labels"]


def log_action(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    note: str = "",
    changes: dict[str, Any] | None = None,
    target_repr: str | None = None,
) -> AuditEntry:
    """Append one entry; call it inside the service's transaction.

    ``target_repr`` replaces ``str(target)`` when that would keep what the
    entry must not (a deleted account's number).
    """
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        target_repr=(str(target) if target_repr is None else target_repr)[:200],
        note=note or "",
        changes=changes or {},
    )


def log_actions(
    *,
    actor: Any | None,
    action: str,
    targets: Sequence[models.Model],
    note: str = "",
    changes: dict[str, Any] | None = None,
    changes_of: Callable[[models.Model], dict[str, Any]] | None = None,
) -> list[AuditEntry]:
    """Append one entry per target in a single insert: what ``log_action`` writes for each, cleaned the same.

    Bulk services call it inside their transaction, after the targets have ids;
    ``changes_of(target)`` gives each entry its own changes (what a single
    create through ``core.records`` would record).
    """
    content_types: dict[type, ContentType] = {}
    entries = []
    for target in targets:
        model = type(target)
        if model not in content_types:
            content_types[model] = ContentType.objects.get_for_model(target, for_concrete_model=False)
        entries.append(
            clean_instance(
                AuditEntry(
                    actor=actor if getattr(actor, "is_authenticated", False) else None,
                    action=action,
                    target_type=content_types[model],
                    target_id=target.pk,
                    target_repr=str(target)[:200],
                    note=note or "",
                    changes=(changes_of(target) if changes_of else changes) or {},
                )
            )
        )
    return AuditEntry.objects.bulk_create(entries, batch_size=1000)


def history(target: models.Model):
    """Entries about ``target``, oldest first, with their actors."""
    return (
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(target, for_concrete_model=False), target_id=target.pk
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
