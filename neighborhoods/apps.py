from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighborhoodsConfig(AppConfig):
    name = "neighborhoods"
    verbose_name = _("Neighbourhoods")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from core.audit import register_action_labels

        register_action_labels(
            {
                "need_report.status_changed": _("Need report moved to a new status"),
                "trusteeship.account_detached": _("Trustee's deleted account detached from the seat"),
                "announcement.created": _("Announcement written"),
                "announcement.approved": _("Announcement approved for sending"),
                "announcement.rejected": _("Announcement rejected"),
            }
        )
        from neighborhoods import topics

        topics.register()
        # Its work queues and activity on the staff dashboard (the admin index).
        from neighborhoods import selectors as dashboard_entries

        dashboard_entries.register_dashboard()
        # Its notification events, and neighbourhoods and districts as things people follow.
        from django.urls import reverse

        from neighborhoods import events
        from notifications.events import register
        from notifications.subscriptions import register_kind
        from places.models import District, Neighborhood

        register(*events.ALL)
        # A citizen's export; a seat in force keeps the account, an ended one lets it go (keeping the name).
        from accounts import personal_data
        from neighborhoods import permissions, selectors, services

        personal_data.register_section("trusteeships", selectors.my_trusteeships)
        personal_data.register_section("need_reports", selectors.my_need_reports)
        personal_data.register_deletion_check(permissions.account_deletion_blocker)
        personal_data.register_before_delete(lambda user: services.trusteeships_detach_account(user=user))
        register_kind(
            name="neighborhood",
            model=Neighborhood,
            url=lambda place: reverse("neighborhoods:neighborhood_detail", args=[place.pk]),
        )
        register_kind(
            name="district", model=District, url=lambda place: reverse("neighborhoods:district_detail", args=[place.pk])
        )
