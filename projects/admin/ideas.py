"""Idea rounds and the review of citizens' ideas in the admin."""

from __future__ import annotations

from django import forms
from django.contrib import admin
from django.template.response import TemplateResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.permissions import is_staff_member
from core.admin import ReadOnlyAdmin, StaffAdmin, admin_jalali_field, adopt, run_for_each
from core.admin.lifecycle import LifecycleAdminMixin, Step, choice_or_text
from places.models import City
from places.permissions import can_manage_city, is_city_admin
from projects.forms import ReasonForm
from projects.models import Category, Idea, IdeaRound, IdeaStatus
from projects.permissions import can_review_idea
from projects.services import idea_accept, idea_return, idea_round_create, idea_round_delete, idea_round_update


class IdeaRoundForm(forms.ModelForm):
    opens_on = admin_jalali_field(label=_("opens"))
    closes_on = admin_jalali_field(label=_("closes"))

    class Meta:
        model = IdeaRound
        fields = ("city", "title", "description", "opens_on", "closes_on")


@admin.register(IdeaRound)
class IdeaRoundAdmin(StaffAdmin):
    """City admins open calls for ideas in their city."""

    district_path = None
    form = IdeaRoundForm
    list_display = ("title", "city", "opens_on", "closes_on")
    list_filter = ("city",)

    def get_queryset(self, request):
        queryset = super().get_queryset(request).select_related("city")
        user = request.user
        if user.is_superuser or user.staff_city_id is None:
            return queryset if is_staff_member(user) else queryset.none()
        return queryset.filter(city_id=user.staff_city_id)

    def has_add_permission(self, request, *args):
        return is_city_admin(request.user)

    def has_change_permission(self, request, obj=None):
        if obj is None:
            return is_city_admin(request.user)
        return can_manage_city(request.user, obj.city_id)

    def has_delete_permission(self, request, obj=None):
        return self.has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "city" and request.user.staff_city_id and not request.user.is_superuser:
            kwargs["queryset"] = City.objects.filter(pk=request.user.staff_city_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request, obj, form, change):
        if change:
            idea_round_update(actor=request.user, idea_round=obj)
            return
        data = form.cleaned_data
        created = idea_round_create(
            actor=request.user,
            city=data["city"],
            title=data["title"],
            description=data.get("description", ""),
            opens_on=data["opens_on"],
            closes_on=data["closes_on"],
        )
        adopt(obj, created)

    def delete_model(self, request, obj):
        idea_round_delete(actor=request.user, idea_round=obj)


class AcceptForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), choices=Category.choices)
    budget = forms.IntegerField(label=_("Estimated budget (rial)"), min_value=0, initial=0)
    reason = forms.CharField(
        label=_("Note to the citizen (optional)"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


RETURN_REASONS = (
    _("A similar project is already under way in this neighbourhood."),
    _("The idea is outside the municipality's remit."),
    _("The description is too short to judge; please add the details."),
)
IdeaReturnForm = choice_or_text(
    "reason",
    RETURN_REASONS,
    choice_label=_("Usual reasons"),
    text_label=_("or write the reason"),
    missing=_("Give the reason for returning the idea; its author will see it."),
)


def _waiting(idea: Idea) -> bool:
    return idea.status == IdeaStatus.SUBMITTED


IDEA_STEPS = (
    Step(
        "accept",
        _("Accept"),
        _waiting,
        lambda user, idea, data: idea_accept(
            idea=idea, actor=user, category=data["category"], budget=data["budget"], note=data["reason"]
        ),
        _("The idea “%(object)s” was accepted; a proposed project was made of it."),
        form=AcceptForm,
        primary=True,
    ),
    Step(
        "return",
        _("Return"),
        _waiting,
        lambda user, idea, data: idea_return(idea=idea, actor=user, reason=data["reason"]),
        _("The idea “%(object)s” was returned to its author."),
        form=IdeaReturnForm,
    ),
)


@admin.register(Idea)
class IdeaAdmin(LifecycleAdminMixin, ReadOnlyAdmin, StaffAdmin):
    """Experts review ideas: accept (a proposed project is created) or return with a reason, in bulk or on its page."""

    district_path = "neighborhood__district"
    lifecycle_steps = IDEA_STEPS
    lifecycle_queues = (IdeaStatus.SUBMITTED,)
    lifecycle_order = ("created_at", "pk")
    list_display = ("title", "neighborhood", "round", "status", "created_at")
    list_filter = ("status", "round", "neighborhood__district")
    list_select_related = ("neighborhood", "round")
    search_fields = ("title", "description")
    fields = (
        "round",
        "neighborhood",
        "title",
        "description",
        "photo",
        "latitude",
        "longitude",
        "status",
        "review_reason",
        "reviewed_by",
        "reviewed_at",
        "project",
        "created_at",
    )
    readonly_fields = fields
    actions = ("accept_selected", "return_selected")

    def lifecycle_permitted(self, request, obj) -> bool:
        return can_review_idea(request.user, obj)

    def _ask(self, request, queryset, form, action: str, title: str, label: str):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "intro": gettext("The citizens will see the outcome."),
            "queryset": queryset,
            "form": form,
            "action": action,
            "submit_label": label,
        }
        return TemplateResponse(request, "admin/projects/reason.html", context)

    @admin.action(description=_("Accept the selected ideas as projects"), permissions=["review"])
    def accept_selected(self, request, queryset):
        form = AcceptForm(request.POST if "apply" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return self._ask(request, queryset, form, "accept_selected", gettext("Accept ideas"), gettext("Accept"))
        data = form.cleaned_data
        self._each(
            request,
            queryset,
            lambda idea: idea_accept(
                idea=idea, actor=request.user, category=data["category"], budget=data["budget"], note=data["reason"]
            ),
        )
        return None

    @admin.action(description=_("Return the selected ideas (with a reason)"), permissions=["review"])
    def return_selected(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if not (form.is_bound and form.is_valid()):
            return self._ask(request, queryset, form, "return_selected", gettext("Return ideas"), gettext("Return"))
        self._each(
            request,
            queryset,
            lambda idea: idea_return(idea=idea, actor=request.user, reason=form.cleaned_data["reason"]),
        )
        return None

    def _each(self, request, queryset, apply) -> None:
        run_for_each(
            self,
            request,
            queryset.select_related("neighborhood__district", "author"),
            apply,
            gettext("%(count)s ideas reviewed."),
        )
