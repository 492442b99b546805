"""The audit trail in the admin: read-only, with each action, change and date as staff read them."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.utils.html import format_html_join
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin
from core.admin.display import PersianAdminMixin, display_for_field, display_text
from core.audit import action_label
from core.models import AuditEntry


class ActionFilter(admin.SimpleListFilter):
    """The actions the trail holds, by their labels."""

    title = _("action")
    parameter_name = "action"

    def lookups(self, request, model_admin):
        rows = model_admin.get_queryset(request).order_by().values_list("action", "target_type").distinct()
        labels = {action: action_label(action, ContentType.objects.get_for_id(type_id)) for action, type_id in rows}
        return sorted(labels.items(), key=lambda item: item[1])

    def queryset(self, request, queryset):
        return queryset.filter(action=self.value()) if self.value() else queryset


def _stored_value(field: models.Field | None, value: Any) -> str:
    """A value the trail stored as text (``"2026-03-21"``, ``"True"``, a choice's code) as the admin shows it."""
    if value in (None, "", []):
        return "—"
    if isinstance(value, list):
        return "، ".join(_stored_value(None, item) for item in value)
    if field is not None:
        try:
            if isinstance(field, models.DateTimeField):
                value = dt.datetime.fromisoformat(str(value))
            elif isinstance(field, models.DateField):
                value = dt.date.fromisoformat(str(value))
            elif isinstance(field, models.BooleanField):
                return gettext("Yes") if str(value) == "True" else gettext("No")
            elif isinstance(field, models.IntegerField):
                value = int(value)
        except ValueError:
            pass
        return str(display_for_field(value, field, "—"))
    return str(display_text(value))


@admin.register(AuditEntry)
class AuditEntryAdmin(PersianAdminMixin, ReadOnlyAdmin, admin.ModelAdmin):
    list_display = ("created_at", "actor", "action_name", "target_repr", "note")
    list_filter = (ActionFilter, ("target_type", admin.RelatedOnlyFieldListFilter))
    search_fields = ("target_repr", "note", "action")
    list_select_related = ("actor", "target_type")
    date_hierarchy = "created_at"
    fields = ("created_at", "actor", "action_name", "target_name", "note", "changes_list")

    @admin.display(description=_("action"), ordering="action")
    def action_name(self, obj: AuditEntry) -> str:
        return action_label(obj.action, obj.target_type)

    @admin.display(description=_("record"))
    def target_name(self, obj: AuditEntry) -> str:
        return f"{obj.target_type}: {obj.target_repr}"

    @admin.display(description=_("changes"))
    def changes_list(self, obj: AuditEntry):
        """One line per changed field: its label, then what it was and what it became."""
        if not isinstance(obj.changes, dict) or not obj.changes:
            return "—"
        model = obj.target_type.model_class()
        rows = []
        for name, change in obj.changes.items():
            try:
                field = model._meta.get_field(name) if model is not None else None
            except FieldDoesNotExist:
                field = None
            label = getattr(field, "verbose_name", None) or name
            if isinstance(change, list) and len(change) == 2:
                old, new = (_stored_value(field, value) for value in change)
                text = gettext("%(old)s → %(new)s") % {"old": old, "new": new}
            else:
                text = _stored_value(field, change)
            rows.append((str(label), text))
        return format_html_join("", "<div>{}: {}</div>", rows)
