"""The outbox in the admin: read-only, for city admins, with a retry action for failed rows."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin, StaffAdmin
from notifications.events import EVENTS
from notifications.models import DigestRun, Notification
from notifications.permissions import can_manage_outbox
from notifications.services import notifications_retry


class EventFilter(admin.SimpleListFilter):
    """The events the outbox holds, by their labels."""

    title = _("event")
    parameter_name = "event"

    def lookups(self, request, model_admin):
        keys = model_admin.get_queryset(request).order_by().values_list("event", flat=True).distinct()
        labels = {key: EVENTS[key].label if key in EVENTS else key for key in keys}
        return sorted(labels.items(), key=lambda item: str(item[1]))

    def queryset(self, request, queryset):
        return queryset.filter(event=self.value()) if self.value() else queryset


class OutboxAdmin(ReadOnlyAdmin, StaffAdmin):
    """Private messages of every user: only city admins look, nobody edits by hand."""

    district_path = None

    def has_module_permission(self, request):
        return can_manage_outbox(request.user)

    def has_view_permission(self, request, obj=None):
        return can_manage_outbox(request.user)


@admin.register(Notification)
class NotificationAdmin(OutboxAdmin):
    list_display = ("created_at", "recipient", "event_label", "channel", "status", "attempts", "sent_at")
    list_filter = ("status", "channel", EventFilter)
    search_fields = ("subject", "target_repr")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    actions = ["retry"]
    # The event by its label; the sending machinery (lease, dedupe key, the target's raw key) stays out of sight.
    fields = (
        "recipient",
        "event_label",
        "channel",
        "target_repr",
        "url",
        "subject",
        "body",
        "status",
        "attempts",
        "last_error",
        "digest",
        "created_at",
        "next_attempt_at",
        "sent_at",
        "read_at",
    )
    readonly_fields = fields

    @admin.display(description=_("event"), ordering="event")
    def event_label(self, obj: Notification) -> str:
        return obj.get_event_display()

    @admin.action(description=_("Try the selected failed notifications again"))
    def retry(self, request, queryset):
        count = notifications_retry(notifications=queryset)
        self.message_user(
            request,
            ngettext("%(count)d notification will be sent again.", "%(count)d notifications will be sent again.", count)
            % {"count": count},
            messages.SUCCESS,
        )


@admin.register(DigestRun)
class DigestRunAdmin(OutboxAdmin):
    list_display = ("period_start", "frequency", "user", "notification", "created_at")
    list_filter = ("frequency",)
    list_select_related = ("user", "notification")
    readonly_fields = ("user", "frequency", "period_start", "period_end", "notification", "created_at")
