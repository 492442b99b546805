"""Support, comment and flag: each answers htmx with a partial and a plain form post with a redirect."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from accounts.permissions import MobileNotVerified
from core.web import add_service_errors, is_htmx, signed_in_required, too_many, within_limit
from projects.forms import CommentEditForm, CommentForm, FlagForm
from projects.models import Comment, CommentStatus, Project
from projects.permissions import (
    can_delete_comment,
    can_edit_comment,
    can_flag_comment,
    comment_edit_deadline,
    support_denial_reason,
)
from projects.services import (
    comment_delete,
    comment_edit,
    comment_flag,
    comment_post,
    support_cast,
    support_withdraw,
)
from projects.views.projects import project_page_context


# --- support ------------------------------------------------------------------
@require_POST
@signed_in_required
def support_view(request, pk: int):
    project = get_object_or_404(Project.objects.select_related("district__city__participation_settings"), pk=pk)
    withdraw = request.POST.get("action") == "withdraw"
    if not within_limit(request, "project_support"):
        message = _("Too many attempts. Please wait a while and try again.")
        context = _support_context(request, project, error=message) if is_htmx(request) else None
        return too_many(request, "project_support", partial="projects/_support.html", context=context)
    error = None
    try:
        (support_withdraw if withdraw else support_cast)(project=project, user=request.user)
    except ValidationError as exc:
        error = " ".join(exc.messages)
    except MobileNotVerified as exc:
        error = exc.args[0]  # the reason, which the box shows with the link to confirm the number
    if is_htmx(request):
        return render(request, "projects/_support.html", _support_context(request, project, error=error))
    if error:
        messages.error(request, error)
    elif withdraw:
        messages.success(request, _("Your support has been withdrawn."))
    else:
        messages.success(request, _("Thank you for your support."))
    return redirect(project.get_absolute_url() + "#support")


def _support_context(request, project: Project, *, error: str | None) -> dict:
    return {
        "project": project,
        "supported": project.supports.filter(user=request.user).exists(),
        "support_error": error or support_denial_reason(request.user, project),
        "flash": None if getattr(error, "verify_mobile", False) else error,
    }


# --- comments -----------------------------------------------------------------
def _comment_of(pk: int, comment_id: int) -> Comment:
    return get_object_or_404(
        Comment.objects.select_related("project__district", "author"), pk=comment_id, project_id=pk
    )


@require_POST
@signed_in_required
def comment_create_view(request, pk: int):
    project = get_object_or_404(Project.objects.select_related("district__city__participation_settings"), pk=pk)
    form = CommentForm(request.POST)
    comment = None
    if not within_limit(request, "project_comment"):
        return too_many(
            request,
            "project_comment",
            template="projects/detail.html",
            partial="projects/_comments.html",
            context=project_page_context(request, pk, comment_form=form),
            form=form,
            message=_("You are commenting too often. Please wait a while and try again."),
        )
    if form.is_valid():
        parent = None
        if form.cleaned_data.get("parent"):
            parent = Comment.objects.filter(pk=form.cleaned_data["parent"], project=project).first()
            if parent is None:
                form.add_error(None, _("The comment you are replying to no longer exists."))
        if not form.errors:
            try:
                comment = comment_post(
                    project=project, author=request.user, text=form.cleaned_data["text"], parent=parent
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            except MobileNotVerified as exc:
                form.add_error(None, str(exc))
    if comment is not None:
        note = (
            _("Your comment has been published.")
            if comment.status == CommentStatus.PUBLISHED
            else _("Your comment will appear once a moderator approves it.")
        )
        if not is_htmx(request):
            messages.success(request, note)
            return redirect(f"{project.get_absolute_url()}#comment-{comment.pk}")
        context = project_page_context(request, pk)
        context["comment_note"] = note
        return render(request, "projects/_comments.html", context)
    context = project_page_context(request, pk, comment_form=form)
    if is_htmx(request):
        context["reply_errors_for"] = request.POST.get("parent") or ""
        return render(request, "projects/_comments.html", context)
    return render(request, "projects/detail.html", context, status=400)


@require_http_methods(["GET", "POST"])
@signed_in_required
def comment_edit_view(request, pk: int, comment_id: int):
    comment = _comment_of(pk, comment_id)
    if not can_edit_comment(request.user, comment):
        raise PermissionDenied
    form = CommentEditForm(request.POST or None, initial={"text": comment.text})
    if request.method == "POST" and form.is_valid():
        try:
            comment = comment_edit(comment=comment, actor=request.user, text=form.cleaned_data["text"])
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            if comment.status == CommentStatus.PUBLISHED:
                messages.success(request, _("Your comment has been updated."))
            else:
                messages.success(request, _("Your comment has been updated and will appear once approved."))
            return redirect(f"{comment.project.get_absolute_url()}#comment-{comment.pk}")
    context = {"form": form, "comment": comment, "project": comment.project, "deadline": comment_edit_deadline(comment)}
    return render(request, "projects/comment_edit.html", context)


@require_http_methods(["GET", "POST"])
@signed_in_required
def comment_delete_view(request, pk: int, comment_id: int):
    comment = _comment_of(pk, comment_id)
    if not can_delete_comment(request.user, comment):
        raise PermissionDenied
    if request.method == "POST":
        comment_delete(comment=comment, actor=request.user)
        messages.success(request, _("Your comment has been deleted."))
        return redirect(f"{comment.project.get_absolute_url()}#comments")
    return render(request, "projects/comment_delete.html", {"comment": comment, "project": comment.project})


@require_http_methods(["GET", "POST"])
@signed_in_required
def comment_flag_view(request, pk: int, comment_id: int):
    comment = _comment_of(pk, comment_id)
    if not can_flag_comment(request.user, comment):
        raise PermissionDenied
    form = FlagForm(request.POST or None)
    context = {"form": form, "comment": comment, "project": comment.project}
    if request.method == "POST":
        if not within_limit(request, "project_flag"):
            return too_many(
                request,
                "project_flag",
                template="projects/comment_flag.html",
                partial="projects/_flag_form.html",
                context=context,
                form=form,
                message=_("You are reporting too often. Please wait a while and try again."),
            )
        if form.is_valid():
            try:
                comment_flag(
                    comment=comment,
                    user=request.user,
                    reason=form.cleaned_data["reason"],
                    note=form.cleaned_data["note"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                done = _("Thank you. Moderators will look at this comment.")
                if is_htmx(request):
                    return render(request, "projects/_flag_done.html", {"comment": comment, "message": done})
                messages.success(request, done)
                return redirect(f"{comment.project.get_absolute_url()}#comment-{comment.pk}")
    template = "projects/_flag_form.html" if is_htmx(request) else "projects/comment_flag.html"
    return render(request, template, context)
