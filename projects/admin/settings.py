"""City participation settings and the flagged-word list: city admins only."""

from __future__ import annotations

from django.contrib import admin

from accounts.admin_scope import StaffAdmin
from neighborhoods.models import City
from projects.models import CityParticipationSettings, FlaggedWord
from projects.permissions import can_manage_city, is_city_admin
from projects.services import city_settings_delete, city_settings_save, flagged_word_delete, flagged_word_save


@admin.register(CityParticipationSettings)
class CityParticipationSettingsAdmin(StaffAdmin):
    district_path = None
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

    def save_model(self, request, obj, form, change):
        city_settings_save(actor=request.user, settings=obj)

    def delete_model(self, request, obj):
        city_settings_delete(actor=request.user, settings=obj)


@admin.register(FlaggedWord)
class FlaggedWordAdmin(StaffAdmin):
    """Words that hold a comment for moderation; the built-in list always applies as well."""

    district_path = None
    list_display = ("word",)
    search_fields = ("word", "word_normalized")

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return is_city_admin(request.user)

    def has_delete_permission(self, request, obj=None):
        return is_city_admin(request.user)

    def save_model(self, request, obj, form, change):
        flagged_word_save(actor=request.user, word=obj)

    def delete_model(self, request, obj):
        flagged_word_delete(actor=request.user, word=obj)
