"""Admin pieces shared by every app: district scope and the read-only audit trail."""

from __future__ import annotations

from django.contrib import admin

from accounts.permissions import can_act_in_any_district, is_staff_member, scope_to_districts
from civic_portal.models import AuditEntry


class DistrictScopedAdminMixin:
    """Staff see and change only rows in their districts.

    Set ``district_path`` to the lookup from the model to its district(s),
    e.g. ``"district"``, ``"neighborhood__district"`` or ``"districts"``.
    """

    district_path: str = "district"

    def get_queryset(self, request):
        return scope_to_districts(super().get_queryset(request), request.user, self.district_path)

    def _districts_of(self, obj) -> set[int]:
        value = obj
        parts = self.district_path.split("__")
        for i, part in enumerate(parts):
            value = getattr(value, part, None)
            if value is None:
                return set()
            if hasattr(value, "all") and i == len(parts) - 1:
                return set(value.values_list("id", flat=True))
        return {value.pk} if value is not None else set()

    def _in_scope(self, request, obj) -> bool:
        if obj is None:
            return is_staff_member(request.user)
        return can_act_in_any_district(request.user, self._districts_of(obj))

    def has_view_permission(self, request, obj=None):
        return super().has_view_permission(request, obj) and self._in_scope(request, obj)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and self._in_scope(request, obj)


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
