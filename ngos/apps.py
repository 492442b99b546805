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
        # A citizen's export, and the last manager of an organisation keeps their account until it is handed on.
        from accounts import personal_data
        from ngos import permissions, selectors

        personal_data.register_section("volunteer_profile", selectors.my_volunteer_profile)
        personal_data.register_section("volunteer_applications", selectors.my_volunteer_applications)
        personal_data.register_section("organisations_managed", selectors.my_organisations_managed)
        personal_data.register_deletion_check(permissions.account_deletion_blocker)
