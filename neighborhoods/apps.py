from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighborhoodsConfig(AppConfig):
    name = "neighborhoods"
    verbose_name = _("Neighbourhoods")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from core.audit import register_action_labels

        register_action_labels({"need_report.status_changed": _("Need report moved to a new status")})
        from neighborhoods import topics

        topics.register()
        # Its notification events, and neighbourhoods and districts as things people follow.
        from django.urls import reverse

        from neighborhoods import events
        from notifications.events import register
        from notifications.subscriptions import register_kind
        from places.models import District, Neighborhood

        register(*events.ALL)
        register_kind(
            name="neighborhood",
            model=Neighborhood,
            url=lambda place: reverse("neighborhoods:neighborhood_detail", args=[place.pk]),
        )
        register_kind(
            name="district", model=District, url=lambda place: reverse("neighborhoods:district_detail", args=[place.pk])
        )
