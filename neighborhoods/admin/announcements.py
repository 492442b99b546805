"""Staff announcements in the admin: write one to a place's followers or residents; approve or reject held ones."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core.admin import StaffAdmin, adopt
from core.web import add_service_errors
from neighborhoods.models import Announcement, AnnouncementAudience, AnnouncementStatus
from neighborhoods.permissions import can_decide_announcement
from neighborhoods.services.announcements import (
    announcement_approve,
    announcement_create,
    announcement_reject,
    check_announcement,
)
from places.models import District, Neighborhood

FORM_FIELDS = ("district", "neighborhood", "audience", "title", "body")


class AnnouncementForm(forms.ModelForm):
    """The place (a district, or one of its neighbourhoods), the audience and the text; the service does the rest."""

    actor = None  # set per request by the admin

    class Meta:
        model = Announcement
        fields = FORM_FIELDS
        widgets = {"audience": forms.RadioSelect, "body": forms.Textarea(attrs={"rows": 6})}
        help_texts = {"district": _("Or choose only a neighbourhood: its district is taken from it.")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "district" in self.fields:
            self.fields["district"].required = False
        if "audience" in self.fields:
            self.fields["audience"].choices = AnnouncementAudience.choices
            self.fields["audience"].initial = AnnouncementAudience.BOTH

    def clean(self):
        data = super().clean()
        district, neighborhood = data.get("district"), data.get("neighborhood")
        if neighborhood is not None:
            if district is not None and district.pk != neighborhood.district_id:
                self.add_error("neighborhood", _("The neighbourhood is not in the chosen district."))
                return data
            data["district"] = district = neighborhood.district
        if district is None:
            if not self.has_error("neighborhood"):
                self.add_error("district", _("Choose a district or a neighbourhood."))
            return data
        try:
            place = Announcement(district=district, neighborhood=neighborhood)
            check_announcement(actor=self.actor, announcement=place)
        except ValidationError as exc:
            add_service_errors(self, exc)
        except PermissionDenied as exc:
            self.add_error(None, str(exc) or gettext("Not allowed."))
        return data


@admin.register(Announcement)
class AnnouncementAdmin(StaffAdmin):
    """Written once and never edited: what went out stays as it went. Held ones wait for a city admin."""

    form = AnnouncementForm
    district_path = "district"
    change_form_template = "admin/neighborhoods/announcement/change_form.html"
    list_display = ("title", "place_column", "audience", "status", "recipient_count", "sms_count", "created_at")
    list_filter = ("status", "audience", ("district", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("district", "neighborhood")
    search_fields = ("title",)
    scoped_choices = {"district": (District, "id"), "neighborhood": (Neighborhood, "district")}
    autocomplete_fields = ("neighborhood",)
    date_hierarchy = "created_at"
    readonly_fields = (
        "status",
        "recipient_count",
        "sms_count",
        "author",
        "created_at",
        "published_at",
        "decided_by",
        "decision_note",
        "delivered_at",
    )

    def get_fields(self, request, obj=None):
        return FORM_FIELDS if obj is None else (*FORM_FIELDS, *self.readonly_fields)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change=change, **kwargs)
        form.actor = request.user
        for name in ("district", "neighborhood"):
            widget = form.base_fields[name].widget if name in form.base_fields else None
            if widget is not None:  # a place is chosen here, never added or edited from this form
                widget.can_add_related = widget.can_change_related = widget.can_view_related = False
        return form

    def add_view(self, request, form_url="", extra_context=None):
        # Sent is sent: there is nothing to continue editing, and each one is a decision of its own.
        once = {"show_save_and_continue": False, "show_save_and_add_another": False}
        return super().add_view(request, form_url, {**(extra_context or {}), **once})

    @admin.display(description=_("place"), ordering="district")
    def place_column(self, obj):
        return obj.neighborhood.name if obj.neighborhood_id else obj.district.name

    def has_change_permission(self, request, obj=None):
        return obj is None and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return False  # what was announced stays on record

    def _changeform_view(self, request, object_id, form_url, extra_context):
        """A refusal that only the service could see (another tab took the last of the hour's quota
        between the form's check and the save) shows the add form again with the reason and the text kept."""
        try:
            return super()._changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as exc:
            self.message_user(request, " ".join(exc.messages), messages.ERROR)
            form = self.get_form(request)(request.POST)
            form.is_valid()
            context = {
                **self.admin_site.each_context(request),
                "title": gettext("Add %s") % capfirst(self.opts.verbose_name),
                "adminform": admin.helpers.AdminForm(form, self.get_fieldsets(request), {}, model_admin=self),
                "errors": admin.helpers.AdminErrorList(form, []),
                "media": self.media + form.media,
                "inline_admin_formsets": [],
                **(extra_context or {}),
            }
            return self.render_change_form(request, context, add=True, form_url=form_url)

    def save_model(self, request, obj, form, change):
        data = form.cleaned_data
        saved = announcement_create(
            actor=request.user,
            district=data["district"],
            neighborhood=data.get("neighborhood"),
            audience=data["audience"],
            title=data["title"],
            body=data["body"],
        )
        adopt(obj, saved)
        if saved.status == AnnouncementStatus.AWAITING_APPROVAL:
            held = gettext(
                "The announcement would send many SMS messages: it waits for a system administrator's approval."
            )
            self.message_user(request, held, messages.WARNING)

    # --- a system administrator's decision on a held announcement -------------------------
    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, object_id)
        can_decide = (
            obj is not None
            and obj.status == AnnouncementStatus.AWAITING_APPROVAL
            and can_decide_announcement(request.user, obj)
        )
        return super().change_view(request, object_id, form_url, {**(extra_context or {}), "can_decide": can_decide})

    def get_urls(self):
        decide = self.admin_site.admin_view(require_POST(self.decide_view))
        extra = [path("<int:pk>/decide/<str:decision>/", decide, name="neighborhoods_announcement_decide")]
        return extra + super().get_urls()

    def decide_view(self, request, pk: int, decision: str):
        """Approve (and send) or reject a held announcement; back to the list with the outcome as a message."""
        if decision not in ("approve", "reject"):
            raise PermissionDenied
        announcement = get_object_or_404(self.get_queryset(request).select_related("district"), pk=pk)
        if not can_decide_announcement(request.user, announcement):
            raise PermissionDenied
        note = request.POST.get("decision_note", "").strip()
        try:
            if decision == "approve":
                announcement_approve(actor=request.user, announcement=announcement)
                done = gettext("The announcement was approved and is being sent.")
            elif not note:
                raise ValidationError(gettext("Please write the reason for rejecting the announcement."))
            else:
                announcement_reject(actor=request.user, announcement=announcement, note=note)
                done = gettext("The announcement was rejected; nothing was sent.")
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, reason or gettext("Not allowed."), messages.ERROR)
            return HttpResponseRedirect(reverse("admin:neighborhoods_announcement_change", args=[pk]))
        self.message_user(request, done, messages.SUCCESS)
        return HttpResponseRedirect(reverse("admin:neighborhoods_announcement_changelist"))
