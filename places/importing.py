"""Read and check a municipality's official geography list (CSV) before anything is written.

Every row is checked and every problem is reported with its row number (the
header is row 1, as in a spreadsheet); ``services.geography_import`` then
writes all rows in one transaction, or nothing. The format is documented in
docs/geography-import.md.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import IO

from django.utils.translation import gettext as _

from core.importing import CellError, ImportFileError, Limits, check_cell, limits, read_table
from core.persian import normalize, to_ascii_digits
from places.models import Area, City, District, Neighborhood

REQUIRED = ("city", "district_number", "area", "neighborhood")
OPTIONAL = ("district_name", "latitude", "longitude")
# Header names people may use instead of the English ones (compared after normalisation).
ALIASES = {
    "city": ("city", "شهر"),
    "district_number": ("district_number", "شماره منطقه"),
    "district_name": ("district_name", "نام منطقه", "منطقه"),
    "area": ("area", "ناحیه"),
    "neighborhood": ("neighborhood", "neighbourhood", "محله"),
    "latitude": ("latitude", "عرض جغرافیایی"),
    "longitude": ("longitude", "طول جغرافیایی"),
}
MAX_ROWS = 20_000
# The model field each column fills: every cell is checked against it before anything is written.
COLUMNS = {
    "city": City._meta.get_field("name"),
    "district_number": District._meta.get_field("number"),
    "district_name": District._meta.get_field("name"),
    "area": Area._meta.get_field("name"),
    "neighborhood": Neighborhood._meta.get_field("name"),
    "latitude": Neighborhood._meta.get_field("latitude"),
    "longitude": Neighborhood._meta.get_field("longitude"),
}


@dataclass
class GeographyRow:
    row: int
    city: City
    district_number: int
    district_name: str  # "" when the district already exists and the row does not rename it
    area: str
    neighborhood: str
    latitude: Decimal | None
    longitude: Decimal | None


@dataclass
class ParseResult:
    rows: list[GeographyRow] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def error(self, row: int, message: str) -> None:
        self.errors.append((row, message))


def _columns(header: list[str]) -> dict[str, int]:
    wanted = {normalize(alias): key for key, aliases in ALIASES.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = wanted.get(normalize(name).replace("-", "_"))
        if key and key not in found:
            found[key] = index
    return found


def _coordinate(text: str, limit: int) -> Decimal:
    value = Decimal(to_ascii_digits(text).replace("٫", ".").strip())
    if not value.is_finite() or abs(value) > limit:
        raise InvalidOperation
    return value.quantize(Decimal("0.000001"))


def read_geography_csv(stream: IO[bytes]) -> ParseResult:
    """Parse and check every row; the result carries either rows or errors."""
    result = ParseResult()
    limit = limits(max_rows=MAX_ROWS)
    data = stream.read(limit.max_bytes + 1)  # never more than the limit in memory
    try:
        records = list(read_table(data, "geography.csv", limit, delimiter=","))
    except ImportFileError as exc:
        result.error(1, str(exc))
        return result
    if not records or not any(cell.strip() for cell in records[0]):
        result.error(1, _("The file is empty: the first row must name the columns."))
        return result
    columns = _columns(records[0])
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        result.error(1, _("Missing columns: %(columns)s.") % {"columns": ", ".join(missing)})
        return result
    _check_rows(records, columns, result, limit)
    return result


def _check_rows(records: list[list[str]], columns: dict[str, int], result: ParseResult, table: Limits) -> None:
    all_cities = list(City.objects.all())
    cities = {normalize(c.slug): c for c in all_cities} | {c.name_normalized: c for c in all_cities}
    existing = {(d.city_id, d.number): d for d in District.objects.all()}
    district_names: dict[tuple[int, int], tuple[str, int]] = {}  # (city, number) -> (name, row)
    seen_neighborhoods: dict[tuple[int, int, str], int] = {}  # (city, number, name) -> row
    data_rows = 0
    for row_number, record in enumerate(records[1:], start=2):
        if not any(cell.strip() for cell in record):
            continue  # blank lines are allowed, spreadsheets leave them
        data_rows += 1
        cell_problems = []
        for key, model_field in COLUMNS.items():
            index = columns.get(key)
            if index is not None and index < len(record):
                try:
                    check_cell(model_field, record[index], table)
                except CellError as exc:
                    cell_problems.append(_("“%(column)s”: %(message)s") % {"column": key, "message": exc})
        if cell_problems:
            for problem in cell_problems:
                result.error(row_number, problem)
            continue

        def value(key: str, record=record) -> str:
            index = columns.get(key)
            return " ".join(record[index].split()) if index is not None and index < len(record) else ""

        problems: list[str] = []
        for key in REQUIRED:
            if not value(key):
                problems.append(_("“%(column)s” is empty.") % {"column": key})
        city = cities.get(normalize(value("city"))) if value("city") else None
        if value("city") and city is None:
            problems.append(_("Unknown city “%(city)s”: add the city in the admin first.") % {"city": value("city")})
        number: int | None = None
        if value("district_number"):
            digits = to_ascii_digits(value("district_number"))
            if digits.isdigit() and 0 < int(digits) < 1000:
                number = int(digits)
            else:
                message = _("The district number must be a whole number from 1 to 999.")
                problems.append(_("“%(column)s”: %(message)s") % {"column": "district_number", "message": message})
        coordinates: dict[str, Decimal | None] = {}
        for key, limit in (("latitude", 90), ("longitude", 180)):
            coordinates[key] = None
            if value(key):
                try:
                    coordinates[key] = _coordinate(value(key), limit)
                except (InvalidOperation, ValueError):
                    problems.append(_("“%(column)s” is not a valid coordinate.") % {"column": key})
        if city is not None and number is not None:
            problems += _check_district(city, number, value("district_name"), row_number, existing, district_names)
            if value("neighborhood"):
                key = (city.pk, number, normalize(value("neighborhood")))
                if key in seen_neighborhoods:
                    problems.append(
                        _(
                            "The neighbourhood “%(name)s” is listed twice in this district "
                            "(also in row %(row)s); names are compared after Persian normalisation."
                        )
                        % {"name": value("neighborhood"), "row": seen_neighborhoods[key]}
                    )
                else:
                    seen_neighborhoods[key] = row_number
        if problems:
            for problem in problems:
                result.error(row_number, problem)
            continue
        result.rows.append(
            GeographyRow(
                row=row_number,
                city=city,
                district_number=number,
                district_name=value("district_name"),
                area=value("area"),
                neighborhood=value("neighborhood"),
                latitude=coordinates["latitude"],
                longitude=coordinates["longitude"],
            )
        )
    if data_rows == 0:
        result.error(2, _("The file has no rows to import."))
    if not result.errors:
        _check_district_names_unique(result, existing, district_names)


def _check_district(
    city: City,
    number: int,
    name: str,
    row_number: int,
    existing: dict[tuple[int, int], District],
    district_names: dict[tuple[int, int], tuple[str, int]],
) -> list[str]:
    """A district is known (in the database or named in an earlier row) and named consistently."""
    key = (city.pk, number)
    if not name:
        if key in existing or key in district_names:
            return []
        return [
            _("District %(number)s of %(city)s does not exist yet: give its name in “district_name”.")
            % {"number": number, "city": city.name}
        ]
    if key in district_names:
        first_name, first_row = district_names[key]
        if normalize(first_name) != normalize(name):
            return [
                _("District %(number)s is called “%(first)s” in row %(row)s and “%(name)s” here.")
                % {"number": number, "first": first_name, "row": first_row, "name": name}
            ]
        return []
    district_names[key] = (name, row_number)
    return []


def _check_district_names_unique(
    result: ParseResult,
    existing: dict[tuple[int, int], District],
    district_names: dict[tuple[int, int], tuple[str, int]],
) -> None:
    """After the import, no two districts of a city may share a (normalised) name."""
    final: dict[tuple[int, int], str] = {key: d.name_normalized for key, d in existing.items()}
    final.update({key: normalize(name) for key, (name, _row) in district_names.items()})
    owners: dict[tuple[int, str], int] = {}
    for (city_id, number), name in sorted(final.items()):
        other = owners.setdefault((city_id, name), number)
        if other != number:
            for key in ((city_id, number), (city_id, other)):
                if key in district_names:
                    given, row = district_names[key]
                    result.error(
                        row,
                        _("Districts %(one)s and %(two)s of one city would both be called “%(name)s”.")
                        % {"one": other, "two": number, "name": given},
                    )
                    break
