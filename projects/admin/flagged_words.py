"""The flagged-word list: city admins only (each city's participation settings are in ``places.admin``)."""

from __future__ import annotations

from django.contrib import admin

from places.permissions import is_city_admin
from projects.admin.base import StaffRoleAdminMixin
from projects.models import FlaggedWord


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
