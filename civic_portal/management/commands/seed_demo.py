"""Fill the database with demo data for a local run; safe to run again."""

from __future__ import annotations

from importlib import import_module

from django.core.management.base import BaseCommand
from django.db import transaction

# Order matters: later apps hang their rows off earlier ones.
DEMO_MODULES = [
    "neighborhoods.demo",
    "accounts.demo",
    "ngos.demo",
    "projects.demo",
    "notifications.demo",
]


class Command(BaseCommand):
    help = "Load demo data (idempotent): geography, users, organisations, projects."

    def handle(self, *args, **options):
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
