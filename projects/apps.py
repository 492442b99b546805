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
        # Its notification events, and projects as something people follow.
        from notifications.events import register
        from notifications.subscriptions import register_kind
        from projects import events
        from projects.models import Project

        register(*events.ALL)
        register_kind(name="project", model=Project)
        # A citizen's export: what they said, supported, voted for and proposed.
        from accounts.personal_data import register_section
        from projects import selectors

        register_section("comments", selectors.my_comments)
        register_section("supports", selectors.my_supports)
        register_section("ballots", selectors.my_ballots)
        register_section("ideas", selectors.my_ideas)
