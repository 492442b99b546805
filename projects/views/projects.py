"""The project list and the project page."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.shortcuts import render
from django.views.decorators.http import require_GET

from core.web import is_htmx
from projects import conf
from projects.filters import ProjectFilter
from projects.forms import CommentForm
from projects.permissions import can_export_comments, comment_denial_reason, support_denial_reason
from projects.selectors import comment_threads, project_for_page, project_list, timeline


@require_GET
def project_list_view(request):
    filterset = ProjectFilter(request.GET or None, queryset=project_list(user=request.user))
    queryset = filterset.qs if filterset.is_bound else filterset.queryset.ordered(None)
    if filterset.is_bound and not filterset.is_valid():
        queryset = queryset.none()
    page = Paginator(queryset, conf.projects_page_size()).get_page(request.GET.get("page"))
    context = {"filter": filterset, "page_obj": page, "projects": page.object_list}
    template = "projects/_project_results.html" if is_htmx(request) else "projects/list.html"
    return render(request, template, context)


def _offset(request) -> int:
    try:
        return max(0, int(request.GET.get("comments_from", 0)))
    except (TypeError, ValueError):
        return 0


def project_page_context(request, project_id: int, *, comment_form=None) -> dict:
    """Everything the project page renders; shared by the page and the comment views."""
    project = project_for_page(project_id, user=request.user)
    return {
        "project": project,
        "timeline": timeline(project),
        "comment_page": comment_threads(project, user=request.user, offset=_offset(request)),
        "comment_form": comment_form or CommentForm(),
        "support_error": support_denial_reason(request.user, project) if request.user.is_authenticated else None,
        "comment_error": comment_denial_reason(request.user, project) if request.user.is_authenticated else None,
        "can_export": request.user.is_staff and can_export_comments(request.user, project.district_id),
    }


@require_GET
def project_detail_view(request, pk: int):
    context = project_page_context(request, pk)
    if is_htmx(request) and request.GET.get("comments_from"):
        return render(request, "projects/_comment_list.html", context)
    return render(request, "projects/detail.html", context)
