"""Import projects from a CSV or XLSX file: every row checked, nothing imported if one fails."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from accounts.models import User
from accounts.validators import normalize_mobile
from core.importing import ImportFileError, check_size, limits
from places.models import City
from projects import conf
from projects.importing import submit_import


class Command(BaseCommand):
    help = "Import projects from a CSV or XLSX file into one city (see docs/projects-import.md)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="A .csv (UTF-8) or .xlsx file.")
        parser.add_argument("--city", required=True, help="The city's slug, e.g. tehran.")
        parser.add_argument(
            "--actor",
            help="Mobile number of the staff member the import is recorded under; their district scope applies.",
        )

    def handle(self, *args, path: str, city: str, actor: str | None = None, **options):
        file = Path(path)
        if not file.is_file():
            raise CommandError(f"No such file: {path}")
        try:
            city_obj = City.objects.get(slug=city)
        except City.DoesNotExist:
            raise CommandError(f"No city with slug {city!r}.") from None
        user = None
        if actor:
            try:
                user = User.objects.get(phone=normalize_mobile(actor))
            except (User.DoesNotExist, ValidationError) as exc:
                raise CommandError(f"No user with mobile number {actor!r}.") from exc
        try:
            check_size(file.stat().st_size, limits(max_rows=conf.import_max_rows()))
        except ImportFileError as exc:
            raise CommandError(str(exc)) from None
        result = submit_import(
            actor=user,
            city=city_obj,
            data=file.read_bytes(),
            filename=file.name,
            max_rows=conf.import_max_rows(),
            background=False,
        ).result
        if not result.ok:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"Nothing imported: {len(result.errors)} errors.")
        self.stdout.write(self.style.SUCCESS(f"Imported {result.created} projects into {city_obj.name}."))
