"""Every importer answers every hostile cell with a row-numbered Persian error, never a traceback.

The importers are found from the management commands named ``import_*``; a new
importer fails this test until it is listed here, and the columns of each come
from the importer itself, so a new column is walked too.
"""

from __future__ import annotations

import csv
import io
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command, get_commands
from django.db import models

from places.models import Neighborhood
from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db

PERSIAN = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
ARABIC = str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")
NUMERIC = (models.IntegerField, models.DecimalField, models.FloatField)


def _csv(header: list[str], row: list[str]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerow(row)
    return out.getvalue().encode("utf-8")


class ProjectsImporter:
    command = "import_projects"

    def __init__(self, district):
        area = factories.AreaFactory(district=district)
        factories.NeighborhoodFactory(area=area, name="گلستان")
        self.district = district
        self.base = {
            "title": "پارک محله",
            "description": "شرح",
            "category": "green_space",
            "district": str(district.number),
            "neighborhood": "گلستان",
            "budget": "1500000",
            "responsible_unit": "معاونت شهرسازی",
            "proposer_kind": "municipality",
            "proposer_name": "شهرداری",
            "phase": "proposed",
            "progress": "12",
            "start_date": "1403/05/12",
            "end_date": "1404/01/15",
            "latitude": "35.7001",
            "longitude": "51.3002",
            "external_id": "P-1",
        }
        self.runs = 0

    def unique(self, row: dict[str, str], column: str) -> dict[str, str]:
        """Each upload is a new file with a new project id, except in the column under test."""
        self.runs += 1
        fresh = {"title": f"پارک {self.runs}", "external_id": f"P-{self.runs}"}
        return {**row, **{key: value for key, value in fresh.items() if key != column}}

    @staticmethod
    def columns():
        from projects.importing import COLUMNS, HEADERS

        assert set(COLUMNS) == set(HEADERS), "every column is checked against a model field"
        return COLUMNS

    def count(self) -> int:
        return Project.objects.count()

    def file(self, row: dict[str, str]) -> bytes:
        return _csv(list(row), list(row.values()))

    def run_command(self, tmp_path, data: bytes) -> tuple[bool, str]:
        path = tmp_path / "projects.csv"
        path.write_bytes(data)
        err = StringIO()
        try:
            call_command("import_projects", str(path), "--city", self.district.city.slug, stdout=StringIO(), stderr=err)
        except CommandError as exc:
            return False, err.getvalue() + str(exc)
        return True, err.getvalue()

    def run_pages(self, client, data: bytes) -> list[tuple[bool, str]]:
        upload = SimpleUploadedFile("projects.csv", data, content_type="text/csv")
        response = client.post("/admin/projects/project/import/", {"city": self.district.city.pk, "file": upload})
        assert response.status_code in (200, 302, 400), response.status_code
        return [(response.status_code == 302, response.content.decode())]


class GeographyImporter:
    command = "import_geography"

    def __init__(self, district):
        factories.CityFactory(name="شهر قدس", slug="qods")
        self.base = {
            "city": "qods",
            "district_number": "3",
            "district_name": "منطقه سه",
            "area": "ناحیه یک",
            "neighborhood": "گلستان",
            "latitude": "35.7001",
            "longitude": "51.3002",
        }
        self.runs = 0

    def unique(self, row: dict[str, str], column: str) -> dict[str, str]:
        """Each run adds a new neighbourhood, except when that is the column under test."""
        self.runs += 1
        return row if column == "neighborhood" else {**row, "neighborhood": f"محله {self.runs}"}

    @staticmethod
    def columns():
        from places.importing import ALIASES, COLUMNS

        assert set(COLUMNS) == set(ALIASES), "every column is checked against a model field"
        return COLUMNS

    def count(self) -> int:
        return Neighborhood.objects.filter(district__city__slug="qods").count()

    def file(self, row: dict[str, str]) -> bytes:
        return _csv(list(row), list(row.values()))

    def run_command(self, tmp_path, data: bytes) -> tuple[bool, str]:
        path = tmp_path / "geography.csv"
        path.write_bytes(data)
        err = StringIO()
        try:
            call_command("import_geography", str(path), stdout=StringIO(), stderr=err)
        except CommandError as exc:
            return False, err.getvalue() + str(exc)
        return True, err.getvalue()

    def run_pages(self, client, data: bytes) -> list[tuple[bool, str]]:
        return []  # the geography list is loaded from the command line only


IMPORTERS = {cls.command: cls for cls in (ProjectsImporter, GeographyImporter)}


def test_every_import_command_is_walked():
    commands = {name for name in get_commands() if name.startswith("import_")}
    assert commands == set(IMPORTERS)


def _hostile(field: models.Field, good: str) -> list[tuple[str, str, bool]]:
    """(label, cell, must be refused) for one column."""
    numeric = isinstance(field, NUMERIC)
    dated = isinstance(field, models.DateField)
    cases = [
        ("nul", good[:3] + "\x00" + good[3:], True),
        ("200kb", "۱" * 200_000, True),
        ("nko-digits", "߁߂߃", numeric or dated),
        ("nan", "NaN", numeric or dated),
        ("inf", "inf", numeric or dated),
        ("-inf", "-Infinity", numeric or dated),
        ("minus-zero", "-0", False),
        ("empty", "", False),
    ]
    if getattr(field, "max_length", None) and not field.choices:
        cases.append(("too-long", "ب" * (field.max_length + 1), True))
    if numeric:
        cases.append(("huge", "9" * 40, True))
        cases.append(("negative", "-5", field.name in ("budget", "number") or "Positive" in type(field).__name__))
    return cases


def _out_of_range(column: str) -> str | None:
    return {
        "progress": "101",
        "latitude": "91",
        "longitude": "181",
        "district": "70000",
        "district_number": "1000",
    }.get(column)


@pytest.mark.parametrize("command", sorted(IMPORTERS))
def test_hostile_cells_give_row_numbered_errors(command, district, city_admin, client_for, tmp_path):
    importer = IMPORTERS[command](district)
    client = client_for(city_admin)
    columns = importer.columns()
    for column, field in columns.items():
        good = importer.base[column]
        cases = _hostile(field, good)
        if _out_of_range(column):
            cases.append(("out-of-range", _out_of_range(column), True))
        for label, cell, refused in cases:
            row = {**importer.base, column: cell}
            before = importer.count()
            outcomes = [
                importer.run_command(tmp_path, importer.file(importer.unique(row, column))),
                *importer.run_pages(client, importer.file(importer.unique(row, column))),
            ]
            for ok, text in outcomes:
                if refused:
                    assert not ok, (column, label)
                    assert importer.count() == before, (column, label)
                if not ok:  # a hostile cell is blamed on its own column; a harmless one may upset another
                    assert "ردیف ۲" in text and (column in text or not refused), (column, label, text[:300])


@pytest.mark.parametrize("command", sorted(IMPORTERS))
def test_persian_and_arabic_digits_are_accepted(command, district, city_admin, tmp_path):
    importer = IMPORTERS[command](district)
    columns = importer.columns()
    for column, field in columns.items():
        if not isinstance(field, NUMERIC):
            continue
        for digits in (PERSIAN, ARABIC):
            before = importer.count()
            cell = importer.base[column].translate(digits).replace(".", "٫")
            row = importer.unique({**importer.base, column: cell}, column)
            ok, text = importer.run_command(tmp_path, importer.file(row))
            assert ok, (column, cell, text)
            assert importer.count() == before + 1
