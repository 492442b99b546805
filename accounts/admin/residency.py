"""Residents and census lists in the admin: district staff and city admins decide on residency, with reasons."""

from django import forms
from django.contrib import admin
from django.db.models import Count
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import CensusEntry, CensusList, Resident
from accounts.residency import (
    census_list_delete,
    census_list_replace,
    read_census_file,
    residency_allow_early_move,
    residency_mark_verified,
)
from core.admin import ReadOnlyAdmin, StaffAdmin, adopt, run_for_each, with_reason
from core.persian import format_number
from places.models import City
from places.permissions import can_manage_city, is_city_admin

RESIDENCY_FIELDS = (
    "home_since",
    "residency_status",
    "residency_verified_at",
    "home_move_allowed",
    "mobile_verified_at",
)


@admin.register(Resident)
class ResidentAdmin(ReadOnlyAdmin, StaffAdmin):
    """Residents of the districts staff serve: their home and residency, never a number or code.

    Two decisions, each with a reason on record: allow an early move (someone
    who has really moved before the cooldown ends) and confirm a residency.
    """

    district_path = "home_neighborhood__district"
    list_display = ("display_name", "home_neighborhood", "residency_status", "home_since", "home_move_allowed")
    list_filter = ("residency_status", "home_move_allowed")
    list_select_related = ("home_neighborhood",)
    search_fields = ("display_name",)
    fields = ("display_name", "home_neighborhood", *RESIDENCY_FIELDS[:4])
    actions = ("allow_early_move", "mark_residency_verified")

    def get_queryset(self, request):
        return super().get_queryset(request).filter(home_neighborhood__isnull=False)

    @admin.action(description=_("Allow an earlier change of home"), permissions=["moderate"])
    def allow_early_move(self, request, queryset):
        def act(reason: str) -> None:
            run_for_each(
                self,
                request,
                queryset,
                lambda user: residency_allow_early_move(actor=request.user, user=user, reason=reason),
                gettext("%(count)s residents may now change their home once."),
            )

        return with_reason(self, request, queryset, gettext("Why may they move earlier?"), act)

    @admin.action(description=_("Confirm the residency"), permissions=["moderate"])
    def mark_residency_verified(self, request, queryset):
        def act(note: str) -> None:
            run_for_each(
                self,
                request,
                queryset,
                lambda user: residency_mark_verified(actor=request.user, user=user, note=note),
                gettext("%(count)s residencies confirmed."),
            )

        return with_reason(self, request, queryset, gettext("What proof of residency did you see?"), act)


class CensusUploadForm(forms.ModelForm):
    file = forms.FileField(
        label=_("List (CSV or XLSX)"),
        help_text=_(
            "Columns: national_code, neighborhood and, where two districts have a neighbourhood of one name, "
            "district_number. Uploading a list for a city that has one replaces it."
        ),
    )

    class Meta:
        model = CensusList
        fields = ("city",)

    def clean(self):
        data = super().clean()
        upload, city = data.get("file"), data.get("city")
        if upload is not None and city is not None:
            self.parsed = read_census_file(city=city, stream=upload, filename=upload.name)
            for message in self.parsed.errors:
                self.add_error("file", message)
        return data

    def validate_unique(self):
        """A second upload for a city replaces its list (the service), so the city being taken is no error."""


@admin.register(CensusList)
class CensusListAdmin(StaffAdmin):
    """A city's census list: city admins upload it; only neighbourhoods and upload details are ever shown."""

    district_path = None
    form = CensusUploadForm
    list_display = ("city", "entry_count", "uploaded_at", "uploaded_by")
    list_select_related = ("city", "uploaded_by")

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        user = request.user
        if not is_city_admin(user):
            return queryset.none()
        return queryset if can_manage_city(user) else queryset.filter(city_id=user.staff_city_id)

    def has_module_permission(self, request):
        return is_city_admin(request.user)

    def has_view_permission(self, request, obj=None):
        return is_city_admin(request.user) and (obj is None or can_manage_city(request.user, obj.city_id))

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        return False  # a new list is a new upload

    def has_delete_permission(self, request, obj=None):
        return self.has_view_permission(request, obj) and obj is not None

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("city", "file")
        return ("city", "file_name", "entry_count", "uploaded_at", "uploaded_by", "neighbourhoods")

    @admin.display(description=_("residents per neighbourhood"))
    def neighbourhoods(self, obj):
        # By neighbourhood, not by name: two districts may each have a «گلستان».
        counts = (
            CensusEntry.objects.filter(city_id=obj.city_id)
            .values_list("neighborhood_id", "neighborhood__name", "neighborhood__area__district__name")
            .annotate(count=Count("id"))
            .order_by("neighborhood__name", "neighborhood__area__district__name")
        )
        return format_html_join(
            mark_safe("<br>"),
            "{} ({}): {}",
            ((name, district, format_number(n)) for _pk, name, district, n in counts),
        )

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "city" and not can_manage_city(request.user):
            kwargs["queryset"] = City.objects.filter(pk=request.user.staff_city_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        saved = census_list_replace(
            actor=request.user,
            city=form.cleaned_data["city"],
            entries=form.parsed.entries,
            file_name=form.cleaned_data["file"].name,
        )
        adopt(obj, saved)

    def delete_model(self, request, obj):
        census_list_delete(actor=request.user, census=obj)
