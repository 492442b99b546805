"""Plan review, meetings and the volunteer club in the admin."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_staff_member
from core.admin import StaffAdmin, adopt, run_for_each, with_reason
from core.admin.lifecycle import LifecycleAdminMixin
from core.forms import JalaliDateField
from core.private_files import private_file_link
from ngos import permissions, services
from ngos.admin import decisions
from ngos.admin.actions import ReviewAdmin
from ngos.models import (
    Application,
    LicenceReminder,
    Meeting,
    Opportunity,
    Plan,
    PlanStatus,
)


@admin.register(Plan)
class PlanAdmin(LifecycleAdminMixin, ReviewAdmin):
    """Staff review the organisations' plans: bulk actions, or the buttons on a plan's page."""

    district_path = "target_neighborhoods__district"
    lifecycle_steps = decisions.PLAN_STEPS
    lifecycle_queues = decisions.QUEUE_OF_PLANS
    lifecycle_order = ("submitted_at", "pk")
    list_display = ("title", "organization", "status", "estimated_budget", "submitted_at")
    list_filter = ("status",)
    list_select_related = ("organization",)
    # The attachment is private: shown as a link to its permission-checked view.
    readonly_fields = [f.name for f in Plan._meta.fields if f.name != "attachment"] + [
        "target_neighborhoods",
        "attachment_download",
    ]
    exclude = ("attachment",)
    actions = ["start_review", "accept", "return_plan"]

    @admin.display(description=_("attachment"))
    def attachment_download(self, obj: Plan) -> str:
        return private_file_link(obj.attachment, "ngos:plan_attachment", obj.pk)

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return is_staff_member(request.user)
        return permissions.can_review_plan(request.user, obj)

    def lifecycle_permitted(self, request, obj) -> bool:
        return decisions.plan_permitted(request, obj)

    def _review(self, request, queryset, decision, comment=""):
        run_for_each(
            self,
            request,
            queryset,
            lambda p: services.plan_review(actor=request.user, plan=p, decision=decision, comment=comment),
            gettext("%(count)s plan(s) updated."),
        )

    @admin.action(description=_("Take under review"), permissions=["review"])
    def start_review(self, request, queryset):
        self._review(request, queryset, PlanStatus.UNDER_REVIEW)

    @admin.action(description=_("Accept the selected plans"), permissions=["review"])
    def accept(self, request, queryset):
        self._review(request, queryset, PlanStatus.ACCEPTED)

    @admin.action(description=_("Return with a comment"), permissions=["review"])
    def return_plan(self, request, queryset):
        return with_reason(
            self,
            request,
            queryset,
            gettext("What should the organisation change?"),
            lambda note: self._review(request, queryset, PlanStatus.RETURNED, note),
        )


class MeetingAddForm(forms.ModelForm):
    date = JalaliDateField(label=_("Date"))
    time = forms.TimeField(label=_("Time"), widget=forms.TimeInput(attrs={"dir": "ltr", "placeholder": "17:30"}))

    class Meta:
        model = Meeting
        fields = ("city", "district", "title", "place", "agenda")

    def clean(self):
        data = super().clean()
        if data.get("date") and data.get("time"):
            starts_at = timezone.make_aware(dt.datetime.combine(data["date"], data["time"]))
            if starts_at <= timezone.now():
                self.add_error("date", gettext("Choose a time in the future."))
            data["starts_at"] = starts_at
        if data.get("city") and not permissions.can_schedule_meeting(
            self.user, city=data["city"], district=data.get("district")
        ):
            self.add_error("district", gettext("You may schedule meetings only for your own districts."))
        return data


class MeetingMinutesForm(forms.ModelForm):
    class Meta:
        model = Meeting
        fields = ("minutes",)

    def clean_minutes(self):
        minutes = (self.cleaned_data.get("minutes") or "").strip()
        if not minutes:
            raise ValidationError(gettext("This field is required."))
        if self.instance.starts_at > timezone.now():
            raise ValidationError(gettext("Minutes can be published once the meeting has started."))
        return minutes


@admin.register(Meeting)
class MeetingAdmin(StaffAdmin):
    district_path = "district"
    list_display = ("title", "city", "district", "starts_at", "place", "minutes_published_at")
    list_filter = ("city", "district")
    list_select_related = ("city", "district")

    def get_queryset(self, request):
        return permissions.meetings_managed_by(request.user).select_related("city", "district")

    def has_view_permission(self, request, obj=None):
        if obj is None:
            return is_staff_member(request.user)
        return permissions.can_publish_minutes(request.user, obj)

    def has_add_permission(self, request, *args):
        return is_staff_member(request.user)

    def has_change_permission(self, request, obj=None):
        return obj is not None and permissions.can_publish_minutes(request.user, obj)

    def has_delete_permission(self, request, obj=None):
        return False

    def get_form(self, request, obj=None, change=False, **kwargs):
        kwargs["form"] = MeetingMinutesForm if obj is not None else MeetingAddForm
        kwargs["fields"] = (
            ("minutes",) if obj is not None else ("city", "district", "title", "date", "time", "place", "agenda")
        )
        form = super().get_form(request, obj, change=change, **kwargs)
        form.user = request.user
        return form

    def get_readonly_fields(self, request, obj=None):
        return ("city", "district", "title", "starts_at", "place", "agenda") if obj is not None else ()

    def get_fields(self, request, obj=None):
        if obj is None:
            return ("city", "district", "title", "date", "time", "place", "agenda")
        return ("city", "district", "title", "starts_at", "place", "agenda", "minutes")

    def save_model(self, request, obj, form, change):
        if change:
            saved = services.meeting_publish_minutes(
                actor=request.user, meeting=obj, minutes=form.cleaned_data["minutes"]
            )
        else:
            data = form.cleaned_data
            saved = services.meeting_schedule(
                actor=request.user,
                city=data["city"],
                district=data.get("district"),
                title=data["title"],
                starts_at=data["starts_at"],
                place=data["place"],
                agenda=data["agenda"],
            )
        adopt(obj, saved)


@admin.register(Opportunity)
class OpportunityAdmin(ReviewAdmin):
    district_path = "organization__districts"
    list_display = ("title", "organization", "date", "places", "status")
    list_filter = ("status",)
    list_select_related = ("organization",)


@admin.register(Application)
class ApplicationAdmin(ReviewAdmin):
    district_path = "opportunity__organization__districts"
    list_display = ("opportunity", "volunteer", "status", "created_at")
    list_filter = ("status",)
    list_select_related = ("opportunity", "volunteer")


@admin.register(LicenceReminder)
class LicenceReminderAdmin(ReviewAdmin):
    district_path = "organization__districts"
    list_display = ("organization", "kind", "expiry_date", "created_at")
    list_filter = ("kind",)
    list_select_related = ("organization",)
