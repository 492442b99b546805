"""Budgeting rounds in the admin: choose eligible projects, open the round, publish the results."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.admin_scope import DistrictScopedAdminMixin
from accounts.permissions import is_staff_member
from core.admin import jalali_column
from core.audit import log_action
from core.web import add_service_errors
from places.models import District
from projects.admin.base import admin_jalali_field, in_scope
from projects.models import BudgetingResult, BudgetingRound, Project, RoundStatus
from projects.services import round_open, round_publish_results, round_set_eligible
from projects.services.budgeting import ELIGIBLE_PHASES, _check_eligible


class BudgetingRoundForm(forms.ModelForm):
    opens_on = admin_jalali_field(label=_("voting opens"))
    closes_on = admin_jalali_field(label=_("voting closes"))

    class Meta:
        model = BudgetingRound
        fields = ("district", "title", "description", "total_budget", "opens_on", "closes_on", "eligible_projects")

    def clean(self):
        data = super().clean()
        district, projects = data.get("district"), data.get("eligible_projects")
        if district is not None and projects is not None:
            try:
                _check_eligible(district.pk, list(projects))
            except ValidationError as exc:
                add_service_errors(self, exc)
        return data


class ResultInline(admin.TabularInline):
    model = BudgetingResult
    extra = 0
    fields = ("rank", "project", "ballots", "budget", "funded")
    readonly_fields = fields

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_view_permission(self, request, obj=None):
        return True


@admin.register(BudgetingRound)
class BudgetingRoundAdmin(DistrictScopedAdminMixin, admin.ModelAdmin):
    form = BudgetingRoundForm
    district_path = "district"
    list_display = ("title", "district", "status", "total_budget", "opens_jalali", "closes_jalali")
    list_filter = ("status", ("district", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("district",)
    filter_horizontal = ("eligible_projects",)
    inlines = (ResultInline,)
    actions = ("open_rounds", "publish_results")
    readonly_fields = ("status", "opened_at", "published_at")
    opens_jalali = jalali_column("opens_on", _("voting opens"))
    closes_jalali = jalali_column("closes_on", _("voting closes"))

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None and obj.status != RoundStatus.DRAFT:
            fields += ["district", "total_budget", "eligible_projects", "opens_on", "closes_on"]
        return fields

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "district":
            kwargs["queryset"] = in_scope(District.objects.select_related("city"), request.user)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "eligible_projects":
            kwargs["queryset"] = in_scope(
                Project.objects.filter(phase__in=ELIGIBLE_PHASES).select_related("district"),
                request.user,
                "district_id",
            ).order_by("district__number", "title")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        obj.save()
        if not change:
            log_action(actor=request.user, action="budgeting.round_created", target=obj)

    def save_related(self, request, form, formsets, change):
        # The eligible projects go through the service, which refuses changes once voting opened.
        for formset in formsets:
            self.save_formset(request, form, formset, change=change)
        if "eligible_projects" in form.cleaned_data and form.instance.status == RoundStatus.DRAFT:
            round_set_eligible(
                budgeting_round=form.instance, actor=request.user, projects=form.cleaned_data["eligible_projects"]
            )

    def has_moderate_permission(self, request):
        return is_staff_member(request.user)

    @admin.action(description=_("Open the selected rounds for voting"), permissions=["moderate"])
    def open_rounds(self, request, queryset):
        self._each(request, queryset, round_open, gettext("%(count)s rounds opened."))

    @admin.action(description=_("Publish the results of the selected closed rounds"), permissions=["moderate"])
    def publish_results(self, request, queryset):
        self._each(request, queryset, round_publish_results, gettext("Results of %(count)s rounds published."))

    def _each(self, request, queryset, service, done: str) -> None:
        count = 0
        for budgeting_round in queryset:
            try:
                service(budgeting_round=budgeting_round, actor=request.user)
            except (ValidationError, PermissionDenied) as exc:
                detail = " ".join(exc.messages) if isinstance(exc, ValidationError) else gettext("Not allowed.")
                self.message_user(request, f"{budgeting_round}: {detail}", messages.ERROR)
            else:
                count += 1
        if count:
            self.message_user(request, done % {"count": count}, messages.SUCCESS)
