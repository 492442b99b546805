"""Trustee boards, their members' decrees and need reports in the admin."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import (
    JALALI_DATES,
    NormalizedSearchMixin,
    ReadOnlyInline,
    ServiceInline,
    StaffAdmin,
    StaffInlineMixin,
)
from core.admin.lifecycle import LifecycleAdminMixin, Step
from core.persian import format_number
from neighborhoods.admin.forms import (
    DeclineForm,
    NeedReportAdminForm,
    ReferForm,
    TrusteeshipForm,
    TrusteeshipInlineFormSet,
)
from neighborhoods.models import NeedReport, NeedReportStatusChange, NeedStatus, TrusteeBoard, Trusteeship
from neighborhoods.permissions import boards_managed_by, can_change_need_status
from neighborhoods.selectors import unanswered_need_reports_q
from neighborhoods.services import board_save, need_report_change_status, trusteeship_save
from places.forms import neighborhood_label
from places.models import Neighborhood


class RecordAdmin(NormalizedSearchMixin, StaffAdmin):
    """Boards, seats and reports stay on record: they are never deleted in the admin."""

    def has_delete_permission(self, request, obj=None):
        return False


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


class TrusteeshipInline(StaffInlineMixin, ServiceInline, admin.StackedInline):
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

    def save_rows(self, request, parent, rows):
        for _form, seat in rows.added + rows.changed:
            trusteeship_save(actor=request.user, trusteeship=seat)


@admin.register(TrusteeBoard)
class TrusteeBoardAdmin(RecordAdmin):
    district_path = "neighborhood__district"
    list_display = ("neighborhood", "district", "formed_on")
    list_filter = ("neighborhood__district__city", "neighborhood__district")
    list_select_related = ("neighborhood__district",)
    search_fields = ("neighborhood__name", "neighborhood__name_normalized")
    scoped_choices = {"neighborhood": (Neighborhood, "district")}
    autocomplete_fields = ("neighborhood",)
    autocomplete_select_related = ("neighborhood__district",)

    def autocomplete_label(self, obj: TrusteeBoard) -> str:
        return gettext("Trustee board of %(neighborhood)s") % {"neighborhood": neighborhood_label(obj.neighborhood)}

    inlines = [TrusteeshipInline]

    @admin.display(description=_("district"), ordering="neighborhood__district")
    def district(self, obj):
        return obj.neighborhood.district

    def save_model(self, request, obj, form, change):
        board_save(actor=request.user, board=obj)


@admin.register(Trusteeship)
class TrusteeshipAdmin(RecordAdmin):
    """Decree management: one row per seat, with its decree and term."""

    form = TrusteeshipForm
    district_path = "board__neighborhood__district"
    list_display = (
        "display_name_column",
        "category",
        "board",
        "decree_number",
        "decree_date",
        "term_start",
        "term_end",
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
    autocomplete_fields = ("board",)
    scoped_choices = {"board": (TrusteeBoard, "neighborhood__district")}
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
class StatusChangeInline(ReadOnlyInline, admin.TabularInline):
    """The history is written by the status service, never by hand."""

    model = NeedReportStatusChange
    fields = ("created_at", "actor", "from_status", "to_status", "agency", "note")
    readonly_fields = fields


class NeedAnswerFilter(admin.SimpleListFilter):
    """Reports staff have not answered for longer than ``NEED_REPORT_ANSWER_DAYS``: the dashboard links here."""

    title = _("answer")
    parameter_name = "answer"

    def lookups(self, request, model_admin):
        days = format_number(settings.NEED_REPORT_ANSWER_DAYS)
        return [("overdue", gettext("Unanswered for more than %(days)s days") % {"days": days})]

    def queryset(self, request, queryset):
        if self.value() == "overdue":
            return queryset.filter(unanswered_need_reports_q())
        return queryset


def _next(status: str):
    return lambda report: status in report.next_statuses


def _move(status: str):
    return lambda user, report, data: need_report_change_status(
        actor=user,
        report=report,
        status=status,
        note=data.get("note") or data.get("reason", ""),
        agency=data.get("agency"),
    )


NEED_STEPS = (
    Step(
        "refer",
        _("Refer"),
        _next(NeedStatus.REFERRED),
        _move(NeedStatus.REFERRED),
        _("“%(object)s” was referred to the agency."),
        form=ReferForm,
        primary=True,
    ),
    Step(
        "in_progress",
        _("Mark in progress"),
        _next(NeedStatus.IN_PROGRESS),
        _move(NeedStatus.IN_PROGRESS),
        _("“%(object)s” is now in progress."),
        primary=True,
    ),
    Step(
        "resolve",
        _("Mark resolved"),
        _next(NeedStatus.RESOLVED),
        _move(NeedStatus.RESOLVED),
        _("“%(object)s” was marked resolved."),
        primary=True,
    ),
    Step(
        "decline",
        _("Reject"),
        _next(NeedStatus.DECLINED),
        _move(NeedStatus.DECLINED),
        _("“%(object)s” was declined."),
        form=DeclineForm,
    ),
)


@admin.register(NeedReport)
class NeedReportAdmin(LifecycleAdminMixin, RecordAdmin):
    """Staff route a report to an agency and move it along (form or buttons); the rest is the reporter's text."""

    form = NeedReportAdminForm
    district_path = "neighborhood__district"
    lifecycle_steps = NEED_STEPS
    lifecycle_queues = (NeedStatus.REPORTED, NeedStatus.REFERRED, NeedStatus.IN_PROGRESS)
    lifecycle_order = ("created_at", "pk")

    def lifecycle_permitted(self, request, obj) -> bool:
        return can_change_need_status(request.user, obj)

    list_display = ("title", "neighborhood", "category", "status", "agency", "created_at")
    list_filter = ("status", NeedAnswerFilter, "category", "neighborhood__district__city", "neighborhood__district")
    list_select_related = ("neighborhood",)
    search_fields = ("title", "search_normalized", "agency")
    readonly_fields = ("neighborhood", "category", "title", "description", "photo", "created_at")
    fields = ("neighborhood", "category", "title", "description", "photo", "created_at", "status", "agency", "note")
    inlines = [StatusChangeInline]

    def has_add_permission(self, request, *args):
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
