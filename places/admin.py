"""Staff admin for cities, districts, areas, neighbourhoods and each city's participation settings.

Access follows staff roles and district scope (``core.scope``, decided in
``accounts``) and ``places.permissions``, not Django's per-model permission
flags: district staff see and change only their districts' areas and
neighbourhoods; city admins keep cities, districts and the city settings.
Every save and delete goes through ``places.services``.
"""

from __future__ import annotations

from django.contrib import admin

from core.admin import NormalizedSearchMixin, StaffAdmin
from places.forms import district_label, neighborhood_label
from places.models import Area, City, CityParticipationSettings, District, Neighborhood
from places.permissions import can_manage_city, is_city_admin
from places.services import city_settings_delete, city_settings_save, place_delete, place_save


class PlaceAdmin(NormalizedSearchMixin, StaffAdmin):
    """Staff act on the places of the districts they serve; nobody deletes geography here."""

    def has_delete_permission(self, request, obj=None):
        return False  # districts, areas and neighbourhoods carry projects, boards and residents

    def save_model(self, request, obj, form, change):
        place_save(actor=request.user, place=obj)

    def delete_model(self, request, obj):
        place_delete(actor=request.user, place=obj)


@admin.register(City)
class CityAdmin(PlaceAdmin):
    district_path = None
    list_display = ("name", "slug")
    search_fields = ("name", "name_normalized", "slug")
    prepopulated_fields = {"slug": ("name",)}

    def has_add_permission(self, request, *args):
        return can_manage_city(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_city(request.user, obj.pk if obj is not None else None)

    def has_delete_permission(self, request, obj=None):
        return can_manage_city(request.user)


@admin.register(District)
class DistrictAdmin(PlaceAdmin):
    district_path = "id"
    list_display = ("name", "number", "city")
    list_filter = ("city",)
    list_select_related = ("city",)
    search_fields = ("name", "name_normalized")

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return self.has_view_permission(request, obj) and can_manage_city(request.user, obj.city_id)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "city" and not can_manage_city(request.user):
            kwargs["queryset"] = City.objects.filter(pk=request.user.staff_city_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(Area)
class AreaAdmin(PlaceAdmin):
    list_display = ("name", "district")
    list_filter = ("district__city", "district")
    list_select_related = ("district",)
    search_fields = ("name", "name_normalized", "district__name_normalized")
    scoped_choices = {"district": (District, "id")}
    autocomplete_select_related = ("district",)

    def autocomplete_label(self, obj: Area) -> str:
        return f"{obj.name} — {district_label(obj.district)}"


@admin.register(Neighborhood)
class NeighborhoodAdmin(PlaceAdmin):
    list_display = ("name", "area", "district")
    list_filter = ("district__city", "district")
    list_select_related = ("area", "district")
    search_fields = ("name", "name_normalized", "area__name_normalized", "district__name_normalized")
    scoped_choices = {"area": (Area, "district")}
    autocomplete_fields = ("area",)
    autocomplete_select_related = ("district",)

    def autocomplete_label(self, obj: Neighborhood) -> str:
        return neighborhood_label(obj)


@admin.register(CityParticipationSettings)
class CityParticipationSettingsAdmin(StaffAdmin):
    """Moderation policy, flags to hide a comment, who may support: city admins of that city only."""

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
