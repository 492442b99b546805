"""Staff admin for cities, districts, areas, neighbourhoods and each city's participation settings.

Access follows staff roles and district scope (``core.scope``, decided in
``accounts``) and ``places.permissions``, not Django's per-model permission
flags: district staff see and change only their districts' areas and
neighbourhoods; city admins keep cities, districts and the city settings.
Every save and delete goes through ``places.services``.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from core.admin import InlineRows, NormalizedSearchMixin, ServiceInline, StaffAdmin
from core.uploads import IMAGE_KINDS, validate_upload
from places.forms import district_label, neighborhood_label
from places.models import Area, City, CityParticipationSettings, District, Neighborhood
from places.permissions import can_manage_city, is_city_admin
from places.services import city_save, city_settings_delete, city_settings_save, place_delete, place_save

LOGO_MAX_BYTES = 1024 * 1024
SETTINGS_FIELDSETS = (
    (_("Moderation of comments"), {"fields": ("moderation_policy", "flags_to_hide", "use_default_flagged_words")}),
    (
        _("Residency and verification"),
        {"fields": ("comment_requires_verified_mobile", "support_residents_only", "residency_cooldown_days")},
    ),
    (_("Announcements"), {"fields": ("announcement_sms_approval_threshold",)}),
)


class PlaceAdmin(NormalizedSearchMixin, StaffAdmin):
    """Staff act on the places of the districts they serve; nobody deletes geography here."""

    def has_delete_permission(self, request, obj=None):
        return False  # districts, areas and neighbourhoods carry projects, boards and residents

    def save_model(self, request, obj, form, change):
        place_save(actor=request.user, place=obj)

    def delete_model(self, request, obj):
        place_delete(actor=request.user, place=obj)


class CityForm(forms.ModelForm):
    class Meta:
        model = City
        fields = ("name", "slug", "display_name", "logo", "primary_color", "accent_color")
        widgets = {
            "slug": forms.TextInput(attrs={"dir": "ltr"}),
            "primary_color": forms.TextInput(attrs={"dir": "ltr", "size": 8}),
            "accent_color": forms.TextInput(attrs={"dir": "ltr", "size": 8}),
        }

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        if logo and hasattr(logo, "content_type"):  # a new upload, not the stored file
            return validate_upload(logo, kinds=IMAGE_KINDS, max_bytes=min(LOGO_MAX_BYTES, settings.UPLOAD_MAX_BYTES))
        return logo


class CityParticipationSettingsInline(ServiceInline, admin.StackedInline):
    """The city's rules on its own page, in two groups; only that city's admins change them."""

    model = CityParticipationSettings
    fieldsets = SETTINGS_FIELDSETS
    radio_fields = {"moderation_policy": admin.VERTICAL}  # the long choices wrap; a select would clip them on a phone
    extra = 1
    max_num = 1
    can_delete = False
    verbose_name = _("participation rules")
    verbose_name_plural = _("participation rules")

    def _may(self, request, obj) -> bool:
        return can_manage_city(request.user, obj.pk if obj is not None else None)

    def has_view_permission(self, request, obj=None):
        return is_city_admin(request.user)

    def has_add_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_change_permission(self, request, obj=None):
        return self._may(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def save_rows(self, request, parent: City, rows: InlineRows) -> None:
        for _form, row in [*rows.added, *rows.changed]:
            city_settings_save(actor=request.user, settings=row)


@admin.register(City)
class CityAdmin(PlaceAdmin):
    """A city's names, its public look and its participation rules on one page."""

    district_path = None
    form = CityForm
    inlines = (CityParticipationSettingsInline,)
    list_display = ("name", "display_name", "slug")
    search_fields = ("name", "name_normalized", "slug")
    prepopulated_fields = {"slug": ("name",)}
    fieldsets = (
        (_("Name"), {"fields": ("name", "display_name", "slug")}),
        (
            _("Public look"),
            {
                "fields": ("logo", "primary_color", "accent_color"),
                "description": _("Empty fields keep the portal's own logo and colours."),
            },
        ),
    )

    def has_add_permission(self, request, *args):
        return can_manage_city(request.user)

    def has_change_permission(self, request, obj=None):
        return can_manage_city(request.user, obj.pk if obj is not None else None)

    def has_delete_permission(self, request, obj=None):
        return can_manage_city(request.user)

    def save_model(self, request, obj, form, change):
        city_save(actor=request.user, city=obj)


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
    fieldsets = ((None, {"fields": ("city",)}), *SETTINGS_FIELDSETS)
    radio_fields = {"moderation_policy": admin.VERTICAL}

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
