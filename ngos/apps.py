from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NgosConfig(AppConfig):
    name = "ngos"
    verbose_name = _("Organisations")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from ngos import topics

        topics.register()
