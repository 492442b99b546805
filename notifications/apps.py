from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        # A citizen's export: what they follow, what they were told and how they want to hear.
        from accounts.personal_data import register_section
        from notifications import selectors

        register_section("follows", selectors.my_follows)
        register_section("notifications", selectors.my_notifications)
        register_section("notification_preferences", selectors.my_notification_preferences)
        # The outbox backlog on /metrics, read from the table at each scrape.
        from core import metrics
        from notifications.metrics import OutboxCollector

        metrics.register_collector(OutboxCollector())
