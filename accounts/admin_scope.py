"""Admin access by staff role and district scope, the same rule for every app's admin."""

from __future__ import annotations

from accounts.permissions import can_act_in_any_district, is_staff_member, scope_to_districts


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
