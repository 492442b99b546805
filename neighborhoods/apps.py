from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NeighborhoodsConfig(AppConfig):
    name = "neighborhoods"
    verbose_name = _("Neighbourhoods")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from neighborhoods import topics

        topics.register()
