"""Downloads of an organisation's private files: the licence scan and plan attachments.

They live in private storage and have no URL of their own; these views are
the only way to read them. Anyone not permitted (signed in or not) gets 404,
so a guessed address does not even tell that the record exists.
"""

from __future__ import annotations

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404
from django.views.decorators.http import require_GET

from core.private_files import private_file_response
from ngos import permissions
from ngos.models import Organization, Plan


@require_GET
def licence_document(request, pk: int) -> FileResponse:
    """The licence scan, for the organisation's managers and the staff who review it."""
    organization = get_object_or_404(Organization, pk=pk)
    if not permissions.can_download_licence(request.user, organization):
        raise Http404
    return private_file_response(organization.licence_document, f"licence-{organization.pk}")


@require_GET
def plan_attachment(request, plan_pk: int) -> FileResponse:
    """A plan's attachment, for whoever may read the plan."""
    plan = get_object_or_404(Plan.objects.select_related("organization"), pk=plan_pk)
    if not permissions.can_download_plan_attachment(request.user, plan):
        raise Http404
    return private_file_response(plan.attachment, f"plan-{plan.pk}")
