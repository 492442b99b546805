"""Comments in the admin: the moderation queue, decided row by row in place (htmx) or in bulk with a reason."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from core import scope
from core.admin import ReadOnlyAdmin, ReadOnlyInline, StaffAdmin
from core.web import is_htmx
from places.models import CityParticipationSettings
from projects.forms import CommentRejectForm, ReasonForm
from projects.models import Comment, CommentFlag, CommentStatus, ModerationQueueItem
from projects.moderation import find_flagged_words, flagged_words
from projects.permissions import can_moderate_comment
from projects.services import comment_moderate, comment_moderate_many, comment_moderation_undo

# Longer comments are cut in the queue's row; the change page shows the whole text.
QUEUE_EXCERPT_CHARS = 280


class CommentFlagInline(ReadOnlyInline, admin.TabularInline):
    model = CommentFlag
    fields = ("created_at", "user", "reason", "note", "resolved")
    readonly_fields = fields


class CommentAdminBase(ReadOnlyAdmin, StaffAdmin):
    """Read-only records; every decision goes through the moderation actions."""

    district_path = "project__district"
    list_display = ("excerpt", "project", "author_name", "status", "auto_flagged", "open_flag_count", "created_at")
    list_filter = ("status", "auto_flagged", ("project__district", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("project__district__city__participation_settings", "author")
    search_fields = ("text", "project__title")
    readonly_fields = (
        "project",
        "parent",
        "author_name",
        "text",
        "status",
        "auto_flagged",
        "open_flag_count",
        "created_at",
        "edited_at",
        "published_at",
        "moderated_by",
        "moderated_at",
        "moderation_reason",
    )
    fields = readonly_fields
    inlines = (CommentFlagInline,)
    actions = ("approve_selected", "reject_selected")

    @admin.display(description=_("comment"))
    def excerpt(self, obj):
        return Truncator(obj.text).chars(80)

    @admin.display(description=_("author"), ordering="author__display_name")
    def author_name(self, obj):
        # The display name only: moderators do not need the author's phone number.
        return obj.author_name

    @admin.action(description=_("Approve the selected comments"), permissions=["moderate"])
    def approve_selected(self, request, queryset):
        self._moderate(request, queryset, approve=True, reason="")

    @admin.action(description=_("Reject the selected comments (with a reason)"), permissions=["moderate"])
    def reject_selected(self, request, queryset):
        form = ReasonForm(request.POST if "apply" in request.POST else None)
        if form.is_bound and form.is_valid():
            self._moderate(request, queryset, approve=False, reason=form.cleaned_data["reason"])
            return None
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": gettext("Reject comments"),
            "intro": gettext("The authors will see this reason."),
            "queryset": queryset,
            "form": form,
            "action": "reject_selected",
            "submit_label": gettext("Reject"),
        }
        return TemplateResponse(request, "admin/projects/reason.html", context)

    def _moderate(self, request, queryset, *, approve: bool, reason: str) -> None:
        try:
            count = comment_moderate_many(
                comments=list(queryset.select_related("project")), actor=request.user, approve=approve, reason=reason
            )
        except (ValidationError, PermissionDenied) as exc:
            text = " ".join(exc.messages) if isinstance(exc, ValidationError) else str(exc)
            self.message_user(request, text or gettext("Nothing was changed."), messages.ERROR)
            return
        template = gettext("%(count)s comments approved.") if approve else gettext("%(count)s comments rejected.")
        self.message_user(request, template % {"count": count}, messages.SUCCESS)


@admin.register(Comment)
class CommentAdmin(CommentAdminBase):
    pass


@admin.register(ModerationQueueItem)
class ModerationQueueAdmin(CommentAdminBase):
    """The queue: each row shows what a decision needs and decides in place, with an undo."""

    # Few, readable columns: the comment with its project, author and date, the flags, the decision.
    list_display = ("queue_text", "flags", "decision")
    list_display_links = None
    ordering = ("-open_flag_count", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).moderation_queue()

    @admin.display(description=_("comment"))
    def queue_text(self, obj):
        # Cut when long; the link opens the whole text with its flags.
        return render_to_string(
            "admin/projects/moderationqueueitem/text.html",
            {
                "comment": obj,
                "excerpt": Truncator(obj.text).chars(QUEUE_EXCERPT_CHARS),
                "cut": len(obj.text) > QUEUE_EXCERPT_CHARS,
                "url": reverse("admin:projects_moderationqueueitem_change", args=[obj.pk]),
            },
        )

    @admin.display(description=_("flags"), ordering="open_flag_count")
    def flags(self, obj):
        # The city's word list comes from the shared cache, its settings with the row: no query per row.
        words = []
        if obj.auto_flagged:
            city_settings = CityParticipationSettings.for_project(obj.project)
            city_words = flagged_words(city_settings.city_id, use_defaults=city_settings.use_default_flagged_words)
            words = find_flagged_words(obj.text, words=city_words)
        return render_to_string("admin/projects/moderationqueueitem/flags.html", {"comment": obj, "words": words})

    @admin.display(description=_("decision"))
    def decision(self, obj):
        # The row sits inside the changelist's own form, so its buttons and fields belong (``form=``)
        # to small forms the queue's template writes after that form, one set per row.
        return render_to_string("admin/projects/moderationqueueitem/decision.html", _decision_context(obj))

    def _decided(self, request, comment: Comment, *, error: str = "", undone: bool = False, form=None):
        if not is_htmx(request):
            # Without scripts the button posts a plain form: back to the queue with the outcome as a message.
            self.message_user(
                request, error or _outcome(comment, undone), messages.ERROR if error else messages.SUCCESS
            )
            return HttpResponseRedirect(reverse("admin:projects_moderationqueueitem_changelist"))
        context = _decision_context(comment, decided=not error and not undone, undone=undone, error=error, form=form)
        return TemplateResponse(request, "admin/projects/moderationqueueitem/decision.html", context)

    # --- one row, in place ------------------------------------------------------
    def get_urls(self):
        extra = [
            path(
                "<int:comment_id>/decide/<str:decision>/",
                self.admin_site.admin_view(require_POST(self.decide_view)),
                name="projects_moderationqueueitem_decide",
            ),
        ]
        return extra + super().get_urls()

    def decide_view(self, request, comment_id: int, decision: str):
        """Approve, reject (with a reason) or undo one comment; htmx gets the row's decision cell back."""
        return _decide(self, request, comment_id, decision)


def _reject_form(comment: Comment, data=None) -> CommentRejectForm:
    """The row's reject fields, tied to the row's reject form (written outside the changelist's form)."""
    form = CommentRejectForm(data, auto_id=f"id_%s_{comment.pk}")
    for field in form.fields.values():
        field.widget.attrs["form"] = f"reject-{comment.pk}"
    return form


def _decision_context(comment: Comment, **extra) -> dict:
    return {
        "comment": comment,
        "open": comment.status in (CommentStatus.PENDING, CommentStatus.HIDDEN)
        or (comment.status == CommentStatus.PUBLISHED and comment.open_flag_count > 0),
        "reject_form": extra.pop("form", None) or _reject_form(comment),
        **extra,
    }


def _outcome(comment: Comment, undone: bool) -> str:
    if undone:
        return gettext("The decision was undone; the comment waits in the queue again.")
    if comment.status == CommentStatus.REJECTED:
        return gettext("Comment rejected.")
    return gettext("Comment approved.")


def _decide(model_admin: ModerationQueueAdmin, request, comment_id: int, decision: str):
    if decision not in ("approve", "reject", "undo") or not model_admin.has_moderate_permission(request):
        raise PermissionDenied
    comment = get_object_or_404(
        scope.scope_to_districts(
            Comment.objects.select_related("project__district", "author"), request.user, model_admin.district_path
        ),
        pk=comment_id,
    )
    if not can_moderate_comment(request.user, comment):
        raise PermissionDenied
    form = None
    try:
        if decision == "undo":
            comment = comment_moderation_undo(comment=comment, actor=request.user)
            return model_admin._decided(request, comment, undone=True)
        if decision == "approve":
            comment = comment_moderate(comment=comment, actor=request.user, approve=True)
            return model_admin._decided(request, comment)
        form = _reject_form(comment, request.POST)
        if not form.is_valid():
            return model_admin._decided(request, comment, error=" ".join(form.non_field_errors()), form=form)
        comment = comment_moderate(
            comment=comment, actor=request.user, approve=False, reason=form.cleaned_data["reason"]
        )
        return model_admin._decided(request, comment)
    except ValidationError as exc:
        comment.refresh_from_db()
        return model_admin._decided(request, comment, error=" ".join(exc.messages), form=form)
