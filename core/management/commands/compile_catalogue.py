"""Compile every locale/*/LC_MESSAGES/*.po to .mo without GNU gettext.

``make run`` and ``make test`` call it, so a bare machine with only Python
gets the Persian catalogue; it refuses a catalogue with untranslated or fuzzy
Persian entries so an incomplete translation never ships silently.
"""

from __future__ import annotations

from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Compile the gettext catalogues under locale/ (pure Python)."

    def add_arguments(self, parser):
        parser.add_argument("--allow-incomplete", action="store_true", help="Compile even with gaps in fa.")

    def handle(self, *args, allow_incomplete: bool = False, **options):
        compiled = 0
        for locale_dir in settings.LOCALE_PATHS:
            for po_path in sorted(Path(locale_dir).glob("*/LC_MESSAGES/*.po")):
                catalogue = polib.pofile(str(po_path))
                language = po_path.parent.parent.name
                if language == "fa" and not allow_incomplete:
                    gaps = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
                    if gaps:
                        listed = "\n  ".join(gaps[:20])
                        raise CommandError(f"{po_path}: {len(gaps)} untranslated or fuzzy entries:\n  {listed}")
                catalogue.save_as_mofile(str(po_path.with_suffix(".mo")))
                compiled += 1
        self.stdout.write(f"Compiled {compiled} catalogue(s).")
