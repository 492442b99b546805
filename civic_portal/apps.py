from django.apps import AppConfig


class CivicPortalConfig(AppConfig):
    name = "civic_portal"
    verbose_name = "Civic Portal"

    def ready(self) -> None:
        # Cached anonymous pages go stale the moment a row they show is written.
        from civic_portal import pagecache

        pagecache.connect_signals()

        # Bidi overrides and isolates never reach the database (civic_portal/text.py).
        from civic_portal import text

        text.connect_signals()
