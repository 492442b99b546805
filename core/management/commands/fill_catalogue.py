"""Merge Persian translations from a JSON file into locale/fa.

``make messages`` adds new source strings with empty translations; write the
translations as ``{"English source": "ترجمه"}`` and run this to fill them.
"""

from __future__ import annotations

import json
from pathlib import Path

import polib
from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Fill locale/fa entries from a JSON mapping of msgid to Persian msgstr."

    def add_arguments(self, parser):
        parser.add_argument("json_file")
        parser.add_argument("--language", default="fa")

    def handle(self, *args, json_file: str, language: str, **options):
        mapping = json.loads(Path(json_file).read_text(encoding="utf-8"))
        po_path = Path(settings.LOCALE_PATHS[0]) / language / "LC_MESSAGES" / "django.po"
        catalogue = polib.pofile(str(po_path))
        filled = 0
        for entry in catalogue:
            text = mapping.get(entry.msgid)
            if not text:
                continue
            if entry.msgid_plural:
                entry.msgstr_plural = {0: text, 1: mapping.get(entry.msgid_plural, text)}
            else:
                entry.msgstr = text
            if "fuzzy" in entry.flags:
                entry.flags.remove("fuzzy")
            filled += 1
        catalogue.save()
        missing = [e.msgid for e in catalogue if not e.obsolete and (not e.translated() or e.fuzzy)]
        self.stdout.write(f"Filled {filled}; {len(missing)} still untranslated.")
        for msgid in missing:
            self.stdout.write(f"  {msgid}")
