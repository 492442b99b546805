"""What this app's admins share: records staff decide on through actions, and the reason page."""

from __future__ import annotations

from django.contrib import admin
from django.template.response import TemplateResponse

from core.admin import ReadOnlyAdmin, StaffAdmin
from ngos.forms import ReasonForm


class ReviewAdmin(ReadOnlyAdmin, StaffAdmin):
    """Rows staff see in their districts and never edit in place; decisions are actions calling services."""


def with_reason(modeladmin, request, queryset, title: str, act) -> TemplateResponse | None:
    """Ask for a reason on an intermediate page, then run ``act(reason)``."""
    form = ReasonForm(request.POST if "apply" in request.POST else None)
    if form.is_bound and form.is_valid():
        act(form.cleaned_data["note"])
        return None
    context = {
        **modeladmin.admin_site.each_context(request),
        "title": title,
        "form": form,
        "objects": queryset,
        "action": request.POST.get("action"),
        "opts": modeladmin.model._meta,
        "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
    }
    return TemplateResponse(request, "ngos/admin/reason.html", context)
