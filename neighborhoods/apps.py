from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighborhoodsConfig(AppConfig):
    name = "neighborhoods"
    verbose_name = _("Neighbourhoods")

    def ready(self) -> None:
        from neighborhoods import events
        from notifications.events import register

        register(*events.ALL)
