"""``manage.py import_geography FILE.csv``: load a municipality's official geography list.

All rows are checked first and every problem is listed with its row number;
then everything is imported in one transaction, or nothing is. Running it
again with the same file changes nothing. Format: docs/geography-import.md.
"""

from __future__ import annotations

from dataclasses import asdict
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from core.persian import localize_digits
from places.importing import read_geography_csv
from places.services import geography_import


class _DryRun(Exception):
    pass


class Command(BaseCommand):
    help = "Import cities' districts, areas and neighbourhoods from a CSV file (all rows or none)."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="Path to a UTF-8 CSV file; see docs/geography-import.md.")
        parser.add_argument("--dry-run", action="store_true", help="Check and report, but write nothing.")

    def handle(self, *args, csv_file: str, dry_run: bool, **options):
        path = Path(csv_file)
        if not path.is_file():
            raise CommandError(_("%(file)s: no such file.") % {"file": csv_file})
        with path.open("rb") as stream:
            parsed = read_geography_csv(stream)
        if parsed.errors:
            for row, message in sorted(parsed.errors, key=lambda item: item[0]):
                self.stderr.write(_("Row %(row)s: %(message)s") % {"row": localize_digits(row), "message": message})
            raise CommandError(_("%(count)s problem(s) found; nothing was imported.") % {"count": len(parsed.errors)})
        try:
            with transaction.atomic():
                summary = geography_import(rows=parsed.rows, source=path.name)
                if dry_run:
                    raise _DryRun
        except _DryRun:
            self.stdout.write(
                _("Dry run: %(count)s rows are valid; nothing was written.") % {"count": len(parsed.rows)}
            )
            return
        except IntegrityError as exc:
            raise CommandError(
                _("The list conflicts with records in the database (%(error)s); nothing was imported.") % {"error": exc}
            ) from exc
        self.stdout.write(
            self.style.SUCCESS(
                _(
                    "Imported %(rows)s rows: %(districts_created)s districts created, "
                    "%(districts_renamed)s renamed; %(areas_created)s areas created; "
                    "%(neighborhoods_created)s neighbourhoods created, %(neighborhoods_updated)s updated, "
                    "%(neighborhoods_unchanged)s unchanged."
                )
                % {"rows": len(parsed.rows), **asdict(summary)}
            )
        )
