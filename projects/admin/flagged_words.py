"""The flagged-word list: city admins only (each city's participation settings are in ``places.admin``)."""

from __future__ import annotations

from django.contrib import admin

from core.admin import StaffAdmin
from places.permissions import is_city_admin
from projects.models import FlaggedWord
from projects.services import flagged_word_delete, flagged_word_save


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
