from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgosConfig(AppConfig):
    name = "ngos"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from ngos import events
        from notifications.events import register

        register(*events.ALL)
