"""The audit trail: who did what to which record, when and why, and how staff read each action.

An entry's ``action`` is a code (``project.phase_changed``); staff read it as
the label its app registers (``register_action_labels`` from the app's
``ready()``, through ``core.audit``). The rows ``core.records`` writes
(``<model>.created``/``.changed``/``.deleted``) are named from the model.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _


class AuditTrailIsAppendOnly(Exception):
    """Raised by any attempt to rewrite history."""


# --- what staff read: each action's label, registered by the app that writes it ----------------
_LABELS: dict[str, Any] = {}
_RECORD_VERBS = {
    "created": _("%(model)s added"),
    "changed": _("%(model)s changed"),
    "updated": _("%(model)s changed"),
    "deleted": _("%(model)s deleted"),
}


def register_action_labels(labels: Mapping[str, Any]) -> None:
    """An app names its audit actions for people: ``{"project.phase_changed": _("Phase changed")}``."""
    _LABELS.update(labels)


def action_label(action: str, target_type: ContentType | None = None) -> str:
    """The registered label of an action; a ``core.records`` row named from its model; else the code itself."""
    if action in _LABELS:
        return str(_LABELS[action])
    verb = action.rpartition(".")[2]
    model = target_type.model_class() if target_type is not None else None
    if verb in _RECORD_VERBS and model is not None:
        return gettext(_RECORD_VERBS[verb]) % {"model": model._meta.verbose_name}
    return action


class AuditEntryQuerySet(models.QuerySet):
    """Bulk edits and deletes are refused too: the trail is only ever appended to."""

    def update(self, **kwargs):
        raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")

    def delete(self):
        raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")


class AuditEntry(models.Model):
    """Append-only: no page, API or admin edits or deletes an entry."""

    created_at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("actor"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    action = models.CharField(_("action"), max_length=64, db_index=True)
    target_type = models.ForeignKey(
        ContentType, on_delete=models.CASCADE, related_name="+", verbose_name=_("record type")
    )
    target_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("target_type", "target_id")
    target_repr = models.CharField(_("record"), max_length=200)
    note = models.TextField(_("note"), blank=True)
    changes = models.JSONField(_("changes"), default=dict, blank=True)

    objects = AuditEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-created_at", "-id"]
        # The table and index keep the names they were created with when the trail lived in civic_portal.
        db_table = "civic_portal_auditentry"
        indexes = [
            models.Index(fields=["target_type", "target_id", "created_at"], name="civic_porta_target__886887_idx")
        ]

    def __str__(self) -> str:
        return f"{action_label(self.action, ContentType.objects.get_for_id(self.target_type_id))}: {self.target_repr}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditTrailIsAppendOnly("Audit entries cannot be changed.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditTrailIsAppendOnly("Audit entries cannot be deleted.")
