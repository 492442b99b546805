"""City participation settings and the flagged-word list: city admins only."""

from __future__ import annotations

from django.contrib import admin

from neighborhoods.models import City
from projects.admin.base import StaffRoleAdminMixin
from projects.models import CityParticipationSettings, FlaggedWord
from projects.permissions import can_manage_city, is_city_admin


@admin.register(CityParticipationSettings)
class CityParticipationSettingsAdmin(StaffRoleAdminMixin, admin.ModelAdmin):
    list_display = ("city", "moderation_policy", "flags_to_hide", "support_residents_only")

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("city")
        user = request.user
        if not is_city_admin(user):
            return queryset.none()
        if user.is_superuser or user.staff_city_id is None:
            return queryset
        return queryset.filter(city_id=user.staff_city_id)

    def has_module_permission(self, request):
        return is_city_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_city_admin(request.user) and (obj is None or can_manage_city(request.user, obj.city_id))

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        user = request.user
        if db_field.name == "city" and user.staff_city_id and not user.is_superuser:
            kwargs["queryset"] = City.objects.filter(pk=user.staff_city_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(FlaggedWord)
class FlaggedWordAdmin(StaffRoleAdminMixin, admin.ModelAdmin):
    """Words that hold a comment for moderation; the built-in list always applies as well."""

    list_display = ("word",)
    search_fields = ("word", "word_normalized")

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_city_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_city_admin(request.user)
