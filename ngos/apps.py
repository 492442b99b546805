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
        # Its notification events, and organisations as something people follow.
        from ngos import events
        from ngos.models import Organization
        from ngos.permissions import can_view_organization
        from notifications.events import register
        from notifications.subscriptions import register_kind

        register(*events.ALL)
        # Drafts and rejected profiles are not public: only who may see one may follow it.
        register_kind(name="organization", model=Organization, visible=can_view_organization)
