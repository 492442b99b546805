"""Geography in the admin: cities and districts for city admins, areas, neighbourhoods and houses for district staff."""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import StaffAdmin, StaffInlineMixin
from core.admin import NormalizedSearchMixin, ServiceInline
from neighborhoods.models import Area, City, District, Neighborhood, NeighborhoodHouse
from neighborhoods.permissions import can_manage_city, can_manage_place, districts_managed_by
from neighborhoods.services import place_delete, place_save


class PlaceAdmin(NormalizedSearchMixin, StaffAdmin):
    """Places are saved and deleted by the geography services, in the user's scope."""

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
        return can_manage_city(request.user, obj) if obj is not None else can_manage_city(request.user)

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
        return request.user.is_active and request.user.is_city_admin

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return self.has_add_permission(request)
        return self.has_view_permission(request, obj) and can_manage_place(request.user, obj)

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

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["queryset"] = districts_managed_by(request.user).select_related("city")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class NeighborhoodHouseInline(StaffInlineMixin, ServiceInline, admin.StackedInline):
    """The house belongs to the neighbourhood: whoever may change the one may change the other."""

    model = NeighborhoodHouse
    extra = 0
    max_num = 1

    def save_rows(self, request, parent, rows):
        for _form, house in rows.added + rows.changed:
            place_save(actor=request.user, place=house)
        for house in rows.deleted:
            place_delete(actor=request.user, place=house)


@admin.register(Neighborhood)
class NeighborhoodAdmin(PlaceAdmin):
    list_display = ("name", "area", "district", "has_house")
    list_filter = ("district__city", "district")
    list_select_related = ("area", "district", "house")
    search_fields = ("name", "name_normalized", "area__name_normalized")
    scoped_choices = {"area": (Area, "district")}
    inlines = [NeighborhoodHouseInline]

    @admin.display(description=_("neighbourhood house"), boolean=True)
    def has_house(self, obj) -> bool:
        return hasattr(obj, "house")
