"""Building blocks of this app's admin: district scope, Jalali dates, normalised search."""

from __future__ import annotations

from django.contrib import admin
from django.db import models

from accounts.admin_scope import DistrictScopedAdminMixin
from accounts.permissions import is_staff_member, scope_to_districts
from core.admin import NormalizedSearchMixin
from core.forms import AdminJalaliDateInput, JalaliDateField

JALALI_DATES = {models.DateField: {"form_class": JalaliDateField, "widget": AdminJalaliDateInput}}


class ScopedAdmin(NormalizedSearchMixin, DistrictScopedAdminMixin, admin.ModelAdmin):
    """Staff act on rows of the districts they serve; others never get in.

    ``district_id_of(obj)`` names the district a row belongs to; the list is
    scoped with ``district_path`` by the shared mixin.
    """

    formfield_overrides = JALALI_DATES
    # Foreign keys whose choices are cut to the user's districts: field -> (model, district path).
    scoped_choices: dict[str, tuple[type[models.Model], str]] = {}

    def district_id_of(self, obj) -> int | None:
        raise NotImplementedError

    def _districts_of(self, obj) -> set[int]:
        district_id = self.district_id_of(obj)
        return {district_id} if district_id is not None else set()

    def has_delete_permission(self, request, obj=None):
        return False

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
