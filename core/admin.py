"""Admin pieces shared by every app: Jalali columns, normalised search and the read-only audit trail.

The district scope of staff lives in ``accounts.admin_scope``: it needs the roles.
"""

from __future__ import annotations

from django.contrib import admin

from core.jalali import jalali_date_string
from core.models import AuditEntry
from core.persian import normalize


class NormalizedSearchMixin:
    """Admin search also matches the Persian-normalised text (علي finds علی, ۱۲ finds 12)."""

    def get_search_results(self, request, queryset, search_term):
        raw, raw_dup = super().get_search_results(request, queryset, search_term)
        folded = normalize(search_term)
        if folded == search_term:
            return raw, raw_dup
        more, more_dup = super().get_search_results(request, queryset, folded)
        return raw | more, raw_dup or more_dup


def jalali_column(attr: str, label, *, with_time: bool = False):
    """A changelist column (assign it on the admin class) showing a date or time in Jalali."""

    @admin.display(description=label, ordering=attr)
    def column(model_admin, obj):
        return jalali_date_string(getattr(obj, attr), with_time=with_time)

    return column


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("created_at", "actor", "action", "target_repr", "note")
    list_filter = ("action", "target_type")
    search_fields = ("target_repr", "note", "action")
    list_select_related = ("actor", "target_type")
    date_hierarchy = "created_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
