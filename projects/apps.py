from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from projects import topics

        topics.register()
        # Counters stay exact when an account's supports and comments go by cascade.
        from projects import counters, moderation

        counters.connect_signals()
        moderation.connect_signals()
