"""The outbox in the admin: read-only, for city admins, with a retry action for failed rows."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.admin import ReadOnlyAdmin, StaffAdmin
from notifications.models import DigestRun, Notification
from notifications.permissions import can_manage_outbox
from notifications.services import notifications_retry


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
    list_filter = ("status", "channel", "event")
    search_fields = ("subject", "target_repr")
    list_select_related = ("recipient",)
    date_hierarchy = "created_at"
    actions = ["retry"]
    readonly_fields = [field.name for field in Notification._meta.fields]

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
