"""Budgeting rounds in the admin: choose eligible projects, open the round, publish the results."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core import scope
from core.admin import ReadOnlyInline, StaffAdmin, admin_jalali_field, adopt, run_for_each
from core.web import add_service_errors
from places.models import City, District
from places.permissions import can_manage_city, is_city_admin
from projects.admin import campaigns
from projects.models import BudgetingCycle, BudgetingResult, BudgetingRound, Project, RoundStatus
from projects.permissions import can_manage_cycle, cycles_usable_by
from projects.selectors import round_campaign_signals
from projects.services import (
    cycle_create,
    cycle_delete,
    cycle_update,
    round_create,
    round_delete,
    round_open,
    round_publish_results,
    round_update,
)
from projects.services.budgeting import ELIGIBLE_PHASES, _check_eligible


class BudgetingRoundForm(forms.ModelForm):
    opens_on = admin_jalali_field(label=_("voting opens"))
    closes_on = admin_jalali_field(label=_("voting closes"))
    cycle = forms.ModelChoiceField(
        label=_("budgeting cycle"),
        queryset=BudgetingCycle.objects.none(),
        required=False,
        empty_label=_("A cycle of its own"),
        help_text=_(
            "Rounds of one cycle are opened together: a citizen casts one ballot in the cycle, whichever "
            "district they live in. Leave empty for a round on its own."
        ),
    )

    class Meta:
        model = BudgetingRound
        fields = (
            "district",
            "cycle",
            "title",
            "description",
            "total_budget",
            "opens_on",
            "closes_on",
            "eligible_projects",
        )

    def clean(self):
        data = super().clean()
        district, projects = data.get("district"), data.get("eligible_projects")
        if district is not None and projects is not None:
            try:
                _check_eligible(district.pk, list(projects))
            except ValidationError as exc:
                add_service_errors(self, exc)
        cycle = data.get("cycle")
        if cycle is not None and district is not None and cycle.city_id != district.city_id:
            self.add_error("cycle", _("The cycle belongs to another city."))
        return data


class ResultInline(ReadOnlyInline, admin.TabularInline):
    model = BudgetingResult
    fields = ("rank", "project", "ballots", "budget", "funded")
    readonly_fields = fields


@admin.register(BudgetingRound)
class BudgetingRoundAdmin(StaffAdmin):
    form = BudgetingRoundForm
    district_path = "district"
    list_display = ("title", "district", "status", "total_budget", "opens_on", "closes_on")
    list_filter = ("status", ("district", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("district",)
    autocomplete_fields = ("eligible_projects",)
    scoped_choices = {"district": (District, "id")}
    inlines = (ResultInline,)
    actions = ("open_rounds", "publish_results")
    readonly_fields = ("status", "opened_at", "published_at")

    def get_readonly_fields(self, request, obj=None):
        fields = list(super().get_readonly_fields(request, obj))
        if obj is not None:
            fields.append("cycle")
        if obj is not None and obj.status != RoundStatus.DRAFT:
            fields += ["district", "total_budget", "eligible_projects", "opens_on", "closes_on", "campaign_signals"]
        return fields

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        if "cycle" in form.base_fields:
            form.base_fields["cycle"].queryset = cycles_usable_by(request.user).select_related("city")
        return form

    @admin.display(description=_("signs of a campaign"))
    def campaign_signals(self, obj):
        return campaigns.render(round_campaign_signals(obj), campaigns.BALLOTS)

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "eligible_projects":
            kwargs["queryset"] = scope.scope_to_districts(
                Project.objects.filter(phase__in=ELIGIBLE_PHASES).select_related("district"),
                request.user,
                "district",
            ).order_by("district__number", "title")
        return super().formfield_for_manytomany(db_field, request, **kwargs)

    def has_delete_permission(self, request, obj=None):
        # Once voting has opened, the round and its ballots stay on record.
        return super().has_delete_permission(request, obj) and (obj is None or obj.status == RoundStatus.DRAFT)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        if change:
            round_update(actor=request.user, budgeting_round=obj, eligible_projects=data.get("eligible_projects"))
            return
        created = round_create(
            actor=request.user,
            district=data["district"],
            title=data["title"],
            description=data.get("description", ""),
            total_budget=data["total_budget"],
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
            eligible_projects=data.get("eligible_projects") or (),
            cycle=data.get("cycle"),
        )
        adopt(obj, created)

    def delete_model(self, request, obj):
        round_delete(actor=request.user, budgeting_round=obj)

    @admin.action(description=_("Open the selected rounds for voting"), permissions=["moderate"])
    def open_rounds(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda budgeting_round: round_open(budgeting_round=budgeting_round, actor=request.user),
            gettext("%(count)s rounds opened."),
        )

    @admin.action(description=_("Publish the results of the selected closed rounds"), permissions=["moderate"])
    def publish_results(self, request, queryset):
        run_for_each(
            self,
            request,
            queryset,
            lambda budgeting_round: round_publish_results(budgeting_round=budgeting_round, actor=request.user),
            gettext("Results of %(count)s rounds published."),
        )


class CycleRoundInline(ReadOnlyInline, admin.TabularInline):
    model = BudgetingRound
    fields = ("title", "district", "status", "opens_on", "closes_on")
    readonly_fields = fields
    show_change_link = True


@admin.register(BudgetingCycle)
class BudgetingCycleAdmin(StaffAdmin):
    """District rounds a city opens together; city admins start and rename them, district staff see their city's."""

    district_path = "city__districts"
    list_display = ("title", "city", "created_at")
    list_filter = (("city", admin.RelatedOnlyFieldListFilter),)
    list_select_related = ("city",)
    search_fields = ("title",)
    inlines = (CycleRoundInline,)

    def get_fields(self, request, obj=None):
        return ("city", "title")

    def get_inlines(self, request, obj):
        return self.inlines if obj is not None else ()  # a new cycle has no rounds yet

    def get_readonly_fields(self, request, obj=None):
        return ("city",) if obj is not None else ()

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return is_city_admin(request.user)
        return super().has_change_permission(request, obj) and can_manage_cycle(request.user, obj.city_id)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "city" and not can_manage_city(request.user):
            kwargs["queryset"] = City.objects.filter(pk=request.user.staff_city_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            cycle_update(actor=request.user, cycle=obj)
            return
        adopt(obj, cycle_create(actor=request.user, city=form.cleaned_data["city"], title=form.cleaned_data["title"]))

    def delete_model(self, request, obj):
        cycle_delete(actor=request.user, cycle=obj)
