"""Record decisions people argue about (verification, moderation, phase changes)."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models

from core.models import AuditEntry


def log_action(
    *,
    actor: Any | None,
    action: str,
    target: models.Model,
    note: str = "",
    changes: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one entry; call it inside the service's transaction."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target, for_concrete_model=False),
        target_id=target.pk,
        target_repr=str(target)[:200],
        note=note or "",
        changes=changes or {},
    )


def history(target: models.Model):
    """Entries about ``target``, oldest first, with their actors."""
    return (
        AuditEntry.objects.filter(
            target_type=ContentType.objects.get_for_model(target, for_concrete_model=False), target_id=target.pk
        )
        .select_related("actor")
        .order_by("created_at", "id")
    )
