from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CivicPortalConfig(AppConfig):
    """The project top: settings, URLs, the Celery app, the API router and the demo seed."""

    name = "civic_portal"
    verbose_name = _("Civic Portal")

    def ready(self) -> None:
        from core import pagecache
        from neighborhoods.topics import PLACES
        from projects.topics import PROJECTS

        pagecache.cache_view("home", lambda kw: (PROJECTS, PLACES))
