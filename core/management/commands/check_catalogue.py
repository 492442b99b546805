"""Fail when the Persian catalogue misses a translatable string of the code.

Runs makemessages (GNU gettext's xgettext) to pick up every string, then
checks that each one has a non-fuzzy Persian translation.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Update locale/ from the code and fail if any Persian entry is missing."

    def handle(self, *args, **options):
        call_command(
            "makemessages",
            locale=["fa", "en"],
            no_obsolete=True,
            ignore_patterns=[".venv", "var", "node_modules"],
            verbosity=0,
        )
        po_path = Path(settings.LOCALE_PATHS[0]) / "fa" / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(po_path))
        gaps = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
        if gaps:
            listed = "\n  ".join(gaps)
            raise CommandError(f"{len(gaps)} strings lack a Persian translation:\n  {listed}")
        self.stdout.write(f"Persian catalogue complete: {len(catalogue)} entries.")
