from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """The kernel: building blocks every app shares. It imports no app; apps register with it."""

    name = "core"
    verbose_name = _("Audit trail")

    def ready(self) -> None:
        from core import text

        # Bidi overrides and isolates never reach the database (core/text.py).
        text.connect_signals()
