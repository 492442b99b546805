from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Projects")

    def ready(self) -> None:
        # Counters stay exact when an account's supports and comments go by cascade.
        from notifications.events import register
        from notifications.subscriptions import register_kind
        from projects import counters, events, moderation
        from projects.models import Project

        counters.connect_signals()
        moderation.connect_signals()
        register(*events.ALL)
        register_kind(name="project", model=Project)
