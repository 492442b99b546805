"""Pieces every admin of this app shares: staff scope, per-row service calls, a reason page."""

from __future__ import annotations

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.translation import gettext

from accounts.admin_scope import DistrictScopedAdminMixin
from accounts.permissions import is_staff_member
from ngos.forms import ReasonForm


class StaffScopedAdmin(DistrictScopedAdminMixin, admin.ModelAdmin):
    """View for staff in scope; every change goes through an action that calls a service."""

    def has_add_permission(self, request, *args):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_review_permission(self, request):
        return is_staff_member(request.user)


def run_for_each(modeladmin, request, queryset, call, done_message: str) -> None:
    """Call a service per row; report successes and each refusal with its reason."""
    done = 0
    for obj in queryset:
        try:
            call(obj)
        except (ValidationError, PermissionDenied) as exc:
            reason = " ".join(exc.messages) if isinstance(exc, ValidationError) else gettext("Not allowed.")
            modeladmin.message_user(request, f"{obj}: {reason}", messages.ERROR)
        else:
            done += 1
    if done:
        modeladmin.message_user(request, done_message % {"count": done}, messages.SUCCESS)


def with_reason(modeladmin, request, queryset, title: str, act) -> TemplateResponse | None:
    """Ask for a reason on an intermediate page, then run ``act(obj, reason)`` on each row."""
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
