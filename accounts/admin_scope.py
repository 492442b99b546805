"""The one base of every model admin: staff role and district scope, writes through services."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from accounts.permissions import can_act_in_any_district, is_staff_member, scope_to_districts, staff_district_ids
from core.admin import JALALI_DATES, ServiceAdmin


class DistrictScopedAdminMixin:
    """Access by staff role and district scope, the same rule for every app's admin.

    District staff hold no per-model Django permissions: a staff member sees,
    adds, changes and deletes rows of the districts they serve; a city admin
    those of their city. Subclasses narrow add/change/delete where every
    change must go through an admin action, never widen them.

    Set ``district_path`` to the lookup from the model to its district(s),
    e.g. ``"district"``, ``"neighborhood__district"``, ``"districts"`` or
    ``"id"`` (a district itself); ``None`` for rows of no district, which
    every staff member sees unless the subclass narrows it.
    """

    district_path: str | None = "district"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if self.district_path is None:
            return queryset if is_staff_member(request.user) else queryset.none()
        return scope_to_districts(queryset, request.user, self.district_path)

    def _districts_of(self, obj) -> set[int]:
        """The districts the stored row belongs to (the scope is checked on what is stored, not on a form)."""
        if obj.pk is None:
            return set()
        ids = type(obj)._default_manager.filter(pk=obj.pk).values_list(self.district_path, flat=True)
        return {district_id for district_id in ids if district_id is not None}

    def _in_scope(self, request, obj) -> bool:
        if obj is None or self.district_path is None:
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


class StaffAdmin(DistrictScopedAdminMixin, ServiceAdmin, admin.ModelAdmin):
    """Every app's model admins derive from this: staff in scope act, services write, dates are Jalali.

    ``scoped_choices`` cuts the choices of foreign keys to the user's
    districts: ``{field: (model, district lookup from that model)}``.
    """

    formfield_overrides = JALALI_DATES
    scoped_choices: dict[str, tuple[type[models.Model], str]] = {}

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.scoped_choices:
            model, path = self.scoped_choices[db_field.name]
            kwargs["queryset"] = scope_to_districts(model.objects.all(), request.user, path)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class StaffInlineMixin:
    """Inline rows of a record the user may open: the parent admin has already checked the scope."""

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_add_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_staff_member(request.user)


def in_scope(queryset, user, path: str = "pk"):
    """Choices for a form: rows of ``queryset`` the user serves (``path`` leads to the district id)."""
    scope = staff_district_ids(user)
    if scope is None:
        return queryset
    return queryset.filter(**{f"{path}__in": scope})
