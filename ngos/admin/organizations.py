"""The registry and its verification queue."""

from __future__ import annotations

import csv

from django.contrib import admin
from django.http import HttpResponse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from core.admin import ReadOnlyInline, run_for_each, with_reason
from core.admin.lifecycle import LifecycleAdminMixin
from core.persian import normalize
from core.private_files import private_file_link
from ngos import services
from ngos.admin import decisions
from ngos.admin.actions import ReviewAdmin
from ngos.models import (
    LicenceStatus,
    Organization,
    OrganizationStatus,
    StatusChange,
    licence_status_q,
    normalize_identifier,
)
from ngos.models.organizations import VerificationQueue


class LicenceStatusFilter(admin.SimpleListFilter):
    title = _("licence status")
    parameter_name = "licence"

    def lookups(self, request, model_admin):
        return LicenceStatus.choices

    def queryset(self, request, queryset):
        if self.value() in LicenceStatus.values:
            return queryset.filter(licence_status_q(self.value()))
        return queryset


class StatusChangeInline(ReadOnlyInline, admin.TabularInline):
    """The history is written by the lifecycle services."""

    model = StatusChange
    fields = ("created_at", "from_status", "to_status", "actor", "note")
    readonly_fields = fields


EXPORT_FIELDS = (
    "id",
    "name",
    "kind",
    "status",
    "registration_number",
    "licence_issuer",
    "licence_number",
    "licence_expires_on",
    "managing_director",
    "phone",
    "email",
    "address",
)


@admin.register(Organization)
class OrganizationAdmin(LifecycleAdminMixin, ReviewAdmin):
    """The registry as it stands; every decision (a bulk action or a button on the page) calls a lifecycle service."""

    lifecycle_steps = decisions.ORGANIZATION_STEPS
    lifecycle_queues = decisions.QUEUE_OF_ORGANIZATIONS
    lifecycle_order = ("status_changed_at", "pk")

    district_path = "districts"
    list_display = ("name", "kind", "city", "status", "licence_state", "licence_expires_on", "status_changed_at")
    list_filter = ("status", "kind", LicenceStatusFilter, "city", "districts")
    list_select_related = ("city",)
    search_fields = ("name_normalized", "registration_number_normalized", "licence_number_normalized")
    # The licence scan is private: shown as a link to its permission-checked view, never its storage name.
    readonly_fields = [f.name for f in Organization._meta.fields if f.name != "licence_document"] + [
        "districts",
        "neighborhoods",
        "licence_download",
    ]
    exclude = ("licence_document",)
    inlines = [StatusChangeInline]
    actions = ["verify", "reject", "request_changes", "suspend", "reinstate", "export_csv"]
    ordering = ("status_changed_at",)

    def get_search_results(self, request, queryset, search_term):
        term = normalize(search_term)
        if not term:
            return queryset, False
        identifier = normalize_identifier(search_term) or term
        return (
            queryset.filter(name_normalized__contains=term)
            | queryset.filter(registration_number_normalized=identifier)
            | queryset.filter(licence_number_normalized=identifier),
            False,
        )

    def lifecycle_permitted(self, request, obj) -> bool:
        return decisions.organization_permitted(request, obj)

    @admin.display(description=_("licence scan"))
    def licence_download(self, obj: Organization) -> str:
        return private_file_link(obj.licence_document, "ngos:licence_document", obj.pk)

    @admin.display(description=_("licence"))
    def licence_state(self, obj: Organization) -> str:
        return obj.get_licence_status_display()

    def _simple(self, request, queryset, service, done):
        run_for_each(self, request, queryset, lambda o: service(user=request.user, organization=o), done)

    @admin.action(description=_("Verify the selected organisations"), permissions=["review"])
    def verify(self, request, queryset):
        self._simple(request, queryset, services.organization_verify, gettext("%(count)s organisation(s) verified."))

    @admin.action(description=_("Reject (with a reason)"), permissions=["review"])
    def reject(self, request, queryset):
        return with_reason(
            self,
            request,
            queryset,
            gettext("Reject the registration"),
            lambda note: run_for_each(
                self,
                request,
                queryset,
                lambda o: services.organization_reject(user=request.user, organization=o, reason=note),
                gettext("%(count)s organisation(s) rejected."),
            ),
        )

    @admin.action(description=_("Ask the managers to fix something"), permissions=["review"])
    def request_changes(self, request, queryset):
        return with_reason(
            self,
            request,
            queryset,
            gettext("What should the managers fix?"),
            lambda note: run_for_each(
                self,
                request,
                queryset,
                lambda o: services.organization_request_changes(user=request.user, organization=o, note=note),
                gettext("%(count)s organisation(s) returned to their managers."),
            ),
        )

    @admin.action(description=_("Suspend (with a reason)"), permissions=["review"])
    def suspend(self, request, queryset):
        return with_reason(
            self,
            request,
            queryset,
            gettext("Suspend the organisation"),
            lambda note: run_for_each(
                self,
                request,
                queryset,
                lambda o: services.organization_suspend(user=request.user, organization=o, reason=note),
                gettext("%(count)s organisation(s) suspended."),
            ),
        )

    @admin.action(description=_("Lift the suspension"), permissions=["review"])
    def reinstate(self, request, queryset):
        self._simple(
            request, queryset, services.organization_reinstate, gettext("%(count)s organisation(s) reinstated.")
        )

    @admin.action(description=_("Export the selected rows as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="organizations.csv"'
        response.write("\ufeff")
        writer = csv.writer(response)
        writer.writerow([*EXPORT_FIELDS, "licence_status"])
        for organization in queryset.order_by("name_normalized"):
            row = [str(getattr(organization, field) or "") for field in EXPORT_FIELDS]
            row = ["'" + cell if cell.startswith(("=", "+", "-", "@")) else cell for cell in row]
            writer.writerow([*row, organization.licence_status])
        return response


@admin.register(VerificationQueue)
class VerificationQueueAdmin(OrganizationAdmin):
    """Submitted profiles waiting for staff, oldest first."""

    list_filter = ("kind", LicenceStatusFilter, "city", "districts")
    actions = ["verify", "reject", "request_changes", "export_csv"]

    def get_queryset(self, request):
        return super().get_queryset(request).filter(status=OrganizationStatus.SUBMITTED)
