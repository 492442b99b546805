"""Pages: districts, neighbourhoods, need reports and the trustee's form to file one."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from core.web import add_service_errors, too_many, within_limit
from neighborhoods import selectors
from neighborhoods.filters import NeedReportFilter, NeighborhoodFilter
from neighborhoods.forms import NeedReportForm, NeedStatusForm
from neighborhoods.models import NeedReport, Trusteeship
from neighborhoods.permissions import (
    can_change_need_status,
    can_file_need,
    can_see_decree,
    can_view_need_history,
    district_checker,
)
from neighborhoods.services import need_report_change_status, need_report_file
from places.models import City, Neighborhood

PAGE_SIZE = 20


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


@require_GET
def neighborhood_index(request):
    """Every district by city, and a neighbourhood search over the same filters as the API."""
    search = NeighborhoodFilter(request.GET or None, queryset=selectors.neighborhood_list(), request=request)
    searching = search.is_bound and any(request.GET.get(name) for name in search.filters)
    cities: dict[City, list] = {}
    for district in selectors.district_list():
        cities.setdefault(district.city, []).append(district)
    return render(
        request,
        "neighborhoods/index.html",
        {
            "filter": search,
            "searching": searching,
            "page_obj": _page(request, search.qs) if searching else None,
            "cities": cities.items(),
        },
    )


@require_GET
def district_detail(request, pk: int):
    district = selectors.district_detail(pk)
    context = {
        "district": district,
        "areas": district.areas.all(),
        "announcements": selectors.announcements_of(district),
    }
    context |= selectors.district_activity(district)
    return render(request, "neighborhoods/district_detail.html", context)


@require_GET
def neighborhood_detail(request, pk: int):
    neighborhood = selectors.neighborhood_detail(pk)
    board = selectors.board_of(neighborhood)
    members = board.active_members if board is not None else []
    context = {
        "neighborhood": neighborhood,
        "house": getattr(neighborhood, "house", None),
        "board": board,
        "members_by_category": selectors.members_by_category(members),
        "open_needs": selectors.open_needs_of(neighborhood),
        "can_file_need": board is not None and can_file_need(request.user, neighborhood, active_members=members),
        "sees_decrees": district_checker(request.user)(neighborhood.district_id),
        "announcements": selectors.announcements_of(neighborhood),
    }
    context |= selectors.neighborhood_activity(neighborhood)
    return render(request, "neighborhoods/neighborhood_detail.html", context)


@require_GET
def need_list(request):
    needs = NeedReportFilter(request.GET or None, queryset=selectors.need_report_list(), request=request)
    return render(
        request,
        "neighborhoods/need_list.html",
        {"filter": needs, "page_obj": _page(request, needs.qs)},
    )


def _need_detail_context(request, report: NeedReport, status_form: NeedStatusForm | None = None) -> dict:
    staff = can_change_need_status(request.user, report)
    if staff and status_form is None and report.next_statuses:
        status_form = NeedStatusForm(report=report)
    return {
        "report": report,
        "history": list(selectors.need_report_history(report)),
        "full_history": can_view_need_history(request.user, report),
        "status_form": status_form if staff else None,
    }


@require_GET
def need_detail(request, pk: int):
    report = get_object_or_404(selectors.need_report_list(), pk=pk)
    return render(request, "neighborhoods/need_detail.html", _need_detail_context(request, report))


@login_required
@require_http_methods(["GET", "POST"])
def need_create(request, pk: int):
    """A board member's form; nobody else may open it."""
    neighborhood = get_object_or_404(Neighborhood.objects.select_related("district__city"), pk=pk)
    if not can_file_need(request.user, neighborhood):
        raise PermissionDenied
    form = NeedReportForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not within_limit(request, "need_report"):
            context = {"form": form, "neighborhood": neighborhood}
            return too_many(request, "need_report", template="neighborhoods/need_form.html", context=context, form=form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                report = need_report_file(
                    reporter=request.user,
                    neighborhood=neighborhood,
                    category=data["category"],
                    title=data["title"],
                    description=data["description"],
                    photo=data.get("photo"),
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("Thank you. The need has been reported to the district's staff."))
                return redirect("neighborhoods:need_detail", pk=report.pk)
    return render(request, "neighborhoods/need_form.html", {"form": form, "neighborhood": neighborhood})


@login_required
@require_POST
def need_status(request, pk: int):
    """Staff of the report's district move it to its next status."""
    report = get_object_or_404(selectors.need_report_list(), pk=pk)
    if not can_change_need_status(request.user, report):
        raise PermissionDenied
    form = NeedStatusForm(request.POST, report=report)
    if form.is_valid():
        data = form.cleaned_data
        try:
            need_report_change_status(
                actor=request.user,
                report=report,
                status=data["status"],
                note=data["note"],
                agency=data["agency"] or None,
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, _("The report's status has been changed."))
            return redirect("neighborhoods:need_detail", pk=report.pk)
    return render(
        request, "neighborhoods/need_detail.html", _need_detail_context(request, report, status_form=form), status=400
    )


@login_required
@require_GET
def trusteeship_decree(request, pk: int):
    """The scanned decree, for staff of the board's district only; it has no public URL."""
    trusteeship = get_object_or_404(Trusteeship.objects.select_related("board__neighborhood"), pk=pk)
    if not can_see_decree(request.user, trusteeship):
        raise PermissionDenied
    if not trusteeship.decree_file:
        raise Http404
    suffix = PurePath(trusteeship.decree_file.name).suffix
    response = FileResponse(
        trusteeship.decree_file.open("rb"), as_attachment=True, filename=f"decree-{trusteeship.pk}{suffix}"
    )
    response["Cache-Control"] = "private, no-store"
    return response
