"""Admin pieces shared by every app: district scope, normalised search and the read-only audit trail."""

from __future__ import annotations

from django.contrib import admin

from accounts.permissions import can_act_in_any_district, is_staff_member, scope_to_districts
from civic_portal.models import AuditEntry
from civic_portal.persian import normalize
from civic_portal.templatetags.persian import jalali_date_string


class NormalizedSearchMixin:
    """Admin search also matches the Persian-normalised text (علي finds علی, ۱۲ finds 12)."""

    def get_search_results(self, request, queryset, search_term):
        raw, raw_dup = super().get_search_results(request, queryset, search_term)
        folded = normalize(search_term)
        if folded == search_term:
            return raw, raw_dup
        more, more_dup = super().get_search_results(request, queryset, folded)
        return raw | more, raw_dup or more_dup


class DistrictScopedAdminMixin:
    """Access by staff role and district scope, the same rule for every app's admin.

    District staff hold no per-model Django permissions: a staff member sees,
    adds, changes and deletes rows of the districts they serve; a city admin
    those of their city. Subclasses narrow add/change/delete where every
    change must go through a service (an admin action), never widen them.

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

    def has_module_permission(self, request):
        return is_staff_member(request.user)

    def has_view_permission(self, request, obj=None):
        return self._in_scope(request, obj)

    def has_add_permission(self, request, *args):
        return is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return self._in_scope(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self._in_scope(request, obj)


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
