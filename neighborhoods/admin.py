from django.contrib import admin

from neighborhoods.models import Area, City, District, Neighborhood


@admin.register(City)
class CityAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name", "name_normalized")
    prepopulated_fields = {"slug": ("name",)}


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ("name", "number", "city")
    list_filter = ("city",)
    search_fields = ("name", "name_normalized")


@admin.register(Area)
class AreaAdmin(admin.ModelAdmin):
    list_display = ("name", "district")
    list_filter = ("district__city", "district")
    search_fields = ("name", "name_normalized")


@admin.register(Neighborhood)
class NeighborhoodAdmin(admin.ModelAdmin):
    list_display = ("name", "area", "district")
    list_filter = ("district__city", "district")
    list_select_related = ("area", "district")
    search_fields = ("name", "name_normalized")
