from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlacesConfig(AppConfig):
    """City → district → area → neighbourhood and each city's participation rules.

    The bottom app: every other app hangs its rows off these, and it imports none of them.
    """

    name = "places"
    verbose_name = _("Geography and city settings")

    def ready(self) -> None:
        from core import text

        text.clean_app(self.label)
        from core.audit import register_action_labels

        # Adding, changing and deleting a place is named from its model (core.records).
        register_action_labels({"geography.imported": _("Geography list imported")})
        from places import branding

        branding.connect_signals()
