"""The public directory, profile pages and the open-data export."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator

from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from accounts.permissions import is_staff_member
from core.jalali import jalali_date_string
from ngos import permissions
from ngos.filters import OrganizationFilter
from ngos.models import Organization, OrganizationStatus

PAGE_SIZE = 20


def directory_filter(request) -> OrganizationFilter:
    """The one FilterSet over what this user may see; the API builds the same."""
    queryset = permissions.organizations_visible_to(request.user).for_listing()
    return OrganizationFilter(request.GET, queryset=queryset, request=request)


@require_GET
def directory(request):
    filterset = directory_filter(request)
    if not is_staff_member(request.user) and not permissions.organizations_managed_by(request.user).exists():
        del filterset.form.fields["status"]
    page = Paginator(filterset.qs, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "ngos/directory.html",
        {"filter": filterset, "page_obj": page, "organizations": page.object_list},
    )


@require_GET
def detail(request, pk: int):
    organization = get_object_or_404(
        permissions.organizations_visible_to(request.user)
        .select_related("city")
        .prefetch_related("activities", "districts", "neighborhoods"),
        pk=pk,
    )
    return render(
        request,
        "ngos/detail.html",
        {
            "organization": organization,
            "is_manager": permissions.is_manager(request.user, organization),
            "can_review": permissions.can_review_organization(request.user, organization),
        },
    )


# --- open data ----------------------------------------------------------------
EXPORT_COLUMNS = [
    "id",
    "name",
    "kind",
    "city",
    "districts",
    "neighborhoods",
    "fields",
    "registration_number",
    "licence_issuer",
    "licence_number",
    "licence_issued_on",
    "licence_issued_on_jalali",
    "licence_expires_on",
    "licence_expires_on_jalali",
    "licence_status",
    "managing_director",
    "address",
    "website",
    "summary",
    "verified_at",
    "url",
]


def _export_queryset(request):
    """The verified registry, narrowed by the directory's own filters (status cannot widen it)."""
    data = request.GET.copy()
    data.pop("status", None)
    queryset = Organization.objects.public().for_listing().prefetch_related("neighborhoods")
    return OrganizationFilter(data, queryset=queryset, request=request).qs


def _record(organization: Organization, request) -> dict:
    return {
        "id": organization.pk,
        "name": organization.name,
        "kind": organization.kind,
        "city": organization.city.name,
        "districts": [d.number for d in organization.districts.all()],
        "neighborhoods": [n.name for n in organization.neighborhoods.all()],
        "fields": [a.code for a in organization.activities.all()],
        "registration_number": organization.registration_number,
        "licence_issuer": organization.licence_issuer,
        "licence_number": organization.licence_number,
        "licence_issued_on": organization.licence_issued_on.isoformat() if organization.licence_issued_on else None,
        "licence_issued_on_jalali": jalali_date_string(organization.licence_issued_on, machine=True),
        "licence_expires_on": organization.licence_expires_on.isoformat() if organization.licence_expires_on else None,
        "licence_expires_on_jalali": jalali_date_string(organization.licence_expires_on, machine=True),
        "licence_status": organization.licence_status,
        "managing_director": organization.managing_director,
        "address": organization.address,
        "website": organization.website,
        "summary": organization.summary,
        "verified_at": organization.verified_at.isoformat() if organization.verified_at else None,
        "url": request.build_absolute_uri(organization.get_absolute_url()),
    }


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """One CSV cell; text a spreadsheet would run as a formula is quoted."""
    if isinstance(value, list):
        value = "; ".join(str(v) for v in value)
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


@require_GET
def export_csv(request):
    writer = csv.writer(_Echo())

    def rows() -> Iterator[str]:
        yield "\ufeff" + writer.writerow(EXPORT_COLUMNS)
        for organization in _export_queryset(request).iterator(chunk_size=500):
            record = _record(organization, request)
            yield writer.writerow([_cell(record[column]) for column in EXPORT_COLUMNS])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="organizations.csv"'
    return response


@require_GET
def export_json(request):
    records = [_record(o, request) for o in _export_queryset(request).iterator(chunk_size=500)]
    body = {
        "title": _("Registry of verified organisations"),
        "count": len(records),
        "status": OrganizationStatus.VERIFIED,
        "results": records,
    }
    response = HttpResponse(json.dumps(body, ensure_ascii=False), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="organizations.json"'
    return response
