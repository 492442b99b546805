"""Downloads: open data for everyone, published comments for staff."""

from __future__ import annotations

import json

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.decorators.http import require_GET

from core.web import signed_in_required
from places.models import District
from projects import exports
from projects.filters import ProjectFilter
from projects.models import Project
from projects.permissions import can_export_comments
from projects.selectors import public_projects

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filtered_projects(request):
    filterset = ProjectFilter(request.GET or None, queryset=public_projects().for_list())
    if filterset.is_bound and not filterset.is_valid():
        return Project.objects.none()
    return filterset.qs if filterset.is_bound else filterset.queryset.ordered(None)


def _stamp() -> str:
    return timezone.localdate().isoformat()


@require_GET
def projects_csv_view(request):
    rows = exports.project_rows(_filtered_projects(request))
    response = StreamingHttpResponse(exports.csv_stream(exports.PROJECT_COLUMNS, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="projects-{_stamp()}.csv"'
    return response


@require_GET
def projects_json_view(request):
    rows = list(exports.project_rows(_filtered_projects(request)))
    body = json.dumps(
        {"generated_at": timezone.now().isoformat(), "count": len(rows), "projects": rows}, ensure_ascii=False
    )
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="projects-{_stamp()}.json"'
    return response


def _comments_response(request, queryset, name: str):
    rows = exports.comment_rows(queryset)
    if request.GET.get("format") == "xlsx":
        response = HttpResponse(exports.xlsx_bytes(exports.COMMENT_COLUMNS, rows), content_type=XLSX)
        response["Content-Disposition"] = f'attachment; filename="{name}-{_stamp()}.xlsx"'
        return response
    response = StreamingHttpResponse(exports.csv_stream(exports.COMMENT_COLUMNS, rows), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="{name}-{_stamp()}.csv"'
    return response


@require_GET
@signed_in_required
def project_comments_export_view(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    if not can_export_comments(request.user, project.district_id):
        raise PermissionDenied
    return _comments_response(
        request, exports.published_comments(project_id=project.pk), f"comments-project-{project.pk}"
    )


@require_GET
@signed_in_required
def district_comments_export_view(request, district_id: int):
    district = get_object_or_404(District, pk=district_id)
    if not can_export_comments(request.user, district.pk):
        raise PermissionDenied
    queryset = exports.published_comments(district_id=district.pk)
    return _comments_response(request, queryset, f"comments-district-{district.number}")
