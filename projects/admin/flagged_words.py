"""Each city's flagged-word list: its city admins only (the city's other rules are in ``places.admin``)."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.utils.translation import gettext as _

from core.admin import StaffAdmin
from places.models import City
from places.permissions import can_manage_city, is_city_admin
from projects.models import FlaggedWord
from projects.services import flagged_word_delete, flagged_word_duplicate, flagged_word_save


class FlaggedWordForm(forms.ModelForm):
    class Meta:
        model = FlaggedWord
        fields = ("city", "word")

    def clean(self):
        data = super().clean()
        asked = FlaggedWord(pk=self.instance.pk, city=data.get("city"), word=data.get("word") or "")
        if asked.city_id and asked.word and flagged_word_duplicate(asked):
            self.add_error("word", _("This word is already on the city's list."))
        return data


def _own_cities(user):
    """The cities whose lists the admin keeps: theirs, or every city for an admin of all cities."""
    cities = City.objects.all()
    return cities if can_manage_city(user) else cities.filter(pk=user.staff_city_id)


@admin.register(FlaggedWord)
class FlaggedWordAdmin(StaffAdmin):
    """Words that hold a comment for moderation in one city, besides the built-in list the city may switch off."""

    district_path = None
    form = FlaggedWordForm
    list_display = ("word", "city")
    list_filter = ("city",)
    list_select_related = ("city",)
    search_fields = ("word", "word_normalized")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if not is_city_admin(request.user):
            return queryset.none()
        return queryset.filter(city__in=_own_cities(request.user))

    def get_list_filter(self, request):
        return self.list_filter if can_manage_city(request.user) else ()

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

    def get_changeform_initial_data(self, request):
        initial = super().get_changeform_initial_data(request)
        if request.user.staff_city_id and not request.user.is_superuser:
            initial.setdefault("city", request.user.staff_city_id)
        return initial

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "city":
            kwargs["queryset"] = _own_cities(request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        flagged_word_save(actor=request.user, word=obj)

    def delete_model(self, request, obj):
        flagged_word_delete(actor=request.user, word=obj)
