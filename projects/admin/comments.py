"""Comments in the admin: the moderation queue with bulk approve and reject-with-reason."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyAdmin, ReadOnlyInline, StaffAdmin
from projects.forms import ReasonForm
from projects.models import Comment, CommentFlag, ModerationQueueItem
from projects.services import comment_moderate_many


class CommentFlagInline(ReadOnlyInline, admin.TabularInline):
    model = CommentFlag
    fields = ("created_at", "user", "reason", "note", "resolved")
    readonly_fields = fields


class CommentAdminBase(ReadOnlyAdmin, StaffAdmin):
    """Read-only records; every decision goes through the moderation actions."""

    district_path = "project__district"
    list_display = ("excerpt", "project", "author_name", "status", "auto_flagged", "open_flag_count", "created_at")
    list_filter = ("status", "auto_flagged", ("project__district", admin.RelatedOnlyFieldListFilter))
    list_select_related = ("project", "author")
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
    list_display = ("excerpt", "project", "author_name", "status", "auto_flagged", "open_flag_count", "created_at")
    ordering = ("-open_flag_count", "created_at")

    def get_queryset(self, request):
        return super().get_queryset(request).moderation_queue()
