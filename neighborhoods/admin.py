"""Staff admin for neighbourhood houses, boards, decrees and need reports.

Access follows ``neighborhoods.permissions`` (role and district scope), not
Django's per-model permission flags: district staff see and change only their
districts' rows, and every write that has a rule goes through a service.
Dates are entered and shown in the Jalali calendar.
"""

from __future__ import annotations

from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_staff_member
from core.admin import jalali_column
from neighborhoods.admin_base import JALALI_DATES, ScopedAdmin, StaffInlineMixin
from neighborhoods.admin_forms import NeedReportAdminForm, TrusteeshipForm, TrusteeshipInlineFormSet
from neighborhoods.models import NeedReport, NeedReportStatusChange, NeighborhoodHouse, TrusteeBoard, Trusteeship
from neighborhoods.permissions import boards_managed_by
from neighborhoods.services import board_save, need_report_change_status, trusteeship_save
from places.admin import NeighborhoodAdmin
from places.models import Neighborhood


# --- neighbourhoods, with their house --------------------------------------------------
class NeighborhoodHouseInline(StaffInlineMixin, admin.StackedInline):
    """The house belongs to the neighbourhood: whoever may change the one may change the other."""

    model = NeighborhoodHouse
    extra = 0
    max_num = 1


admin.site.unregister(Neighborhood)


@admin.register(Neighborhood)
class NeighborhoodWithHouseAdmin(NeighborhoodAdmin):
    """The geography admin of ``places`` with this app's neighbourhood house on the same page."""

    list_display = (*NeighborhoodAdmin.list_display, "has_house")
    list_select_related = (*NeighborhoodAdmin.list_select_related, "house")
    inlines = [NeighborhoodHouseInline]

    @admin.display(description=_("neighbourhood house"), boolean=True)
    def has_house(self, obj) -> bool:
        return hasattr(obj, "house")


# --- boards and decrees -------------------------------------------------------------------
class ActiveTermFilter(admin.SimpleListFilter):
    title = _("term")
    parameter_name = "term"

    def lookups(self, request, model_admin):
        return [("active", _("Active today")), ("ended", _("Ended")), ("future", _("Not started yet"))]

    def queryset(self, request, queryset):
        today = timezone.localdate()
        if self.value() == "active":
            return queryset.active(today)
        if self.value() == "ended":
            return queryset.filter(term_end__lt=today)
        if self.value() == "future":
            return queryset.filter(term_start__gt=today)
        return queryset


class TrusteeshipInline(StaffInlineMixin, admin.StackedInline):
    model = Trusteeship
    form = TrusteeshipForm
    formset = TrusteeshipInlineFormSet
    formfield_overrides = JALALI_DATES
    extra = 0
    raw_id_fields = ("user",)
    fields = (
        ("user", "member_name"),
        "category",
        ("decree_number", "decree_date", "decree_issuer"),
        "decree_file",
        ("term_start", "term_end"),
    )

    def has_delete_permission(self, request, obj=None):
        return False  # ended terms stay on record: end a term by its end date


@admin.register(TrusteeBoard)
class TrusteeBoardAdmin(ScopedAdmin):
    district_path = "neighborhood__district"
    list_display = ("neighborhood", "district", "formed_on_jalali")
    list_filter = ("neighborhood__district__city", "neighborhood__district")
    list_select_related = ("neighborhood__district",)
    search_fields = ("neighborhood__name", "neighborhood__name_normalized")
    scoped_choices = {"neighborhood": (Neighborhood, "district")}
    inlines = [TrusteeshipInline]
    formed_on_jalali = jalali_column("formed_on", _("formed on"))

    def district_id_of(self, obj) -> int | None:
        return obj.neighborhood.district_id

    @admin.display(description=_("district"), ordering="neighborhood__district")
    def district(self, obj):
        return obj.neighborhood.district

    def save_model(self, request, obj, form, change):
        board_save(actor=request.user, board=obj)

    def save_formset(self, request, form, formset, change):
        if formset.model is not Trusteeship:
            return super().save_formset(request, form, formset, change)
        for member in formset.save(commit=False):
            trusteeship_save(actor=request.user, trusteeship=member)
        formset.save_m2m()


@admin.register(Trusteeship)
class TrusteeshipAdmin(ScopedAdmin):
    """Decree management: one row per seat, with its decree and term."""

    form = TrusteeshipForm
    district_path = "board__neighborhood__district"
    list_display = (
        "display_name_column",
        "category",
        "board",
        "decree_number",
        "decree_date_jalali",
        "term_start_jalali",
        "term_end_jalali",
    )
    list_filter = (ActiveTermFilter, "category", "board__neighborhood__district__city", "board__neighborhood__district")
    list_select_related = ("user", "board__neighborhood")
    search_fields = (
        "member_name",
        "member_name_normalized",
        "user__display_name",
        "decree_number",
        "board__neighborhood__name_normalized",
    )
    raw_id_fields = ("user",)
    readonly_fields = ("decree_download",)
    fields = (
        "board",
        ("user", "member_name"),
        "category",
        ("decree_number", "decree_date", "decree_issuer"),
        "decree_file",
        "decree_download",
        ("term_start", "term_end"),
    )
    decree_date_jalali = jalali_column("decree_date", _("decree date"))
    term_start_jalali = jalali_column("term_start", _("term start"))
    term_end_jalali = jalali_column("term_end", _("term end"))

    def district_id_of(self, obj) -> int | None:
        return obj.board.neighborhood.district_id

    @admin.display(description=_("member"), ordering="member_name")
    def display_name_column(self, obj):
        return obj.display_name

    @admin.display(description=_("scanned decree"))
    def decree_download(self, obj):
        if obj is None or not obj.pk or not obj.decree_file:
            return "—"
        url = reverse("neighborhoods:trusteeship_decree", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Download"))

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "board":
            kwargs["queryset"] = boards_managed_by(request.user).select_related("neighborhood")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        trusteeship_save(actor=request.user, trusteeship=obj)


# --- need reports ----------------------------------------------------------------------------
class StatusChangeInline(admin.TabularInline):
    model = NeedReportStatusChange
    extra = 0
    can_delete = False
    fields = ("changed_at", "actor", "from_status", "to_status", "agency", "note")
    readonly_fields = fields
    changed_at = jalali_column("created_at", _("time"), with_time=True)

    def has_view_permission(self, request, obj=None):
        return is_staff_member(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(NeedReport)
class NeedReportAdmin(ScopedAdmin):
    """Staff route a report to an agency and move it along; the rest is the reporter's text."""

    form = NeedReportAdminForm
    district_path = "neighborhood__district"
    list_display = ("title", "neighborhood", "category", "status", "agency", "reported_on")
    list_filter = ("status", "category", "neighborhood__district__city", "neighborhood__district")
    list_select_related = ("neighborhood",)
    search_fields = ("title", "search_normalized", "agency")
    readonly_fields = ("neighborhood", "category", "title", "description", "photo", "reported_on")
    fields = ("neighborhood", "category", "title", "description", "photo", "reported_on", "status", "agency", "note")
    inlines = [StatusChangeInline]
    reported_on = jalali_column("created_at", _("reported at"), with_time=True)

    def district_id_of(self, obj) -> int | None:
        return obj.neighborhood.district_id

    def has_add_permission(self, request):
        return False  # board members file needs on the site

    def save_model(self, request, obj, form, change):
        if form.status_changed:
            need_report_change_status(
                actor=request.user,
                report=obj,
                status=form.cleaned_data["status"],
                note=form.cleaned_data.get("note", ""),
                agency=form.cleaned_data.get("agency"),
            )

    def save_formset(self, request, form, formset, change):
        formset.save(commit=False)  # the history is written by the service, never by the inline
