"""Fill the database with demo data for a local run; safe to run again."""

from __future__ import annotations

import time
from importlib import import_module
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

# Order matters: later apps hang their rows off earlier ones.
DEMO_MODULES = [
    "places.demo",
    "accounts.demo",
    "neighborhoods.demo",
    "ngos.demo",
    "projects.demo",
]


def sms_codes_hint() -> str:
    """Where a developer reads the one-time codes that sign-in by SMS (and every staff sign-in) needs."""
    if settings.SMS_BACKEND == "file":
        path = Path(settings.SMS_FILE_PATH)
        shown = path.relative_to(settings.BASE_DIR) if path.is_relative_to(settings.BASE_DIR) else path
        return f"SMS codes: {shown}/ (one file per message, newest last; staff sign-in needs one)"
    if settings.SMS_BACKEND == "console":
        return "SMS codes: printed on the console of the Celery worker (or of this server without REDIS_URL)"
    return "SMS codes: sent through the SMS gateway (SMS_GATEWAY_URL)"


class Command(BaseCommand):
    help = (
        "Load demo data (idempotent): geography, users, organisations, projects. "
        "--scale city adds 200,000 users, 10,000 organisations, 100,000 projects, a million comments and "
        "three million supports for benchmarks (--scale district: one hundredth of that); "
        "scales need PostgreSQL and are loaded once per database."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            choices=["district", "city"],
            help="Also bulk-load synthetic data at this scale (PostgreSQL only; skipped when already loaded).",
        )

    def handle(self, *args, **options):
        scale = options.get("scale")
        if scale and connection.vendor != "postgresql":
            raise CommandError("--scale needs PostgreSQL (set DATABASE_URL): it loads rows with COPY.")
        started = time.monotonic()
        for name in DEMO_MODULES:
            try:
                module = import_module(name)
            except ModuleNotFoundError as exc:
                if exc.name != name:
                    raise
                continue
            with transaction.atomic():
                module.seed(self.stdout)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(sms_codes_hint())
        if scale:
            self._load_scale(scale, started)

    def _load_scale(self, scale: str, started: float) -> None:
        from accounts.demo import DEMO_PASSWORD
        from civic_portal import scale as scale_data

        self.stdout.write(f"Loading the {scale} scale…")
        counts = scale_data.load(scale, self.stdout)
        if counts is None:
            self.stdout.write(f"Scale data already loaded; database size {scale_data.database_size()}.")
            return
        summary = ", ".join(f"{key} {value:,}" for key, value in counts.items() if key != "showcase_project")
        self.stdout.write(f"Loaded: {summary}.")
        showcase = counts["showcase_project"]
        self.stdout.write(f"Project with {scale_data.SHOWCASE_COMMENTS:,} comments: /projects/{showcase}/")
        self.stdout.write(f"Bulk citizens sign in as 09370000000…, password {DEMO_PASSWORD}.")
        self.stdout.write(
            self.style.SUCCESS(
                f"Scale {scale} loaded in {time.monotonic() - started:.0f} s; "
                f"database size {scale_data.database_size()}."
            )
        )
