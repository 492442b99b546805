"""A city's census list: read the uploaded CSV, check every row, keep only keyed digests.

The file has a header row and one row per resident (docs/security.md,
"Census list"):

``national_code`` (or «کد ملی»)
    the resident's 10-digit national code; Persian or Arabic digits, spaces
    and dashes are fine. It is checked (check digit) and kept only as
    ``national_code_key(code)``.
``neighborhood`` (or «محله»)
    the name of a neighbourhood of the city, compared after Persian
    normalisation.
``district_number`` (or «شماره منطقه»), optional
    needed only when two districts of the city have a neighbourhood of that name.

Every problem is reported with its row number (the header is row 1); nothing
is written unless every row is right, and an upload replaces the city's whole
list in one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import CensusEntry, CensusList, User
from accounts.residency.verifiers import national_code_key
from accounts.validators import normalize_national_code
from core.audit import log_action
from core.importing import ImportFileError, cell_text, limits, read_table
from core.persian import format_number, normalize, to_ascii_digits
from core.text import clean_instance
from places.models import City, Neighborhood
from places.permissions import can_manage_city

MAX_ROWS = 200_000
# Header names people may use (compared after Persian normalisation).
ALIASES = {
    "national_code": ("national_code", "national code", "کد ملی", "کدملی"),
    "neighborhood": ("neighborhood", "neighbourhood", "محله"),
    "district_number": ("district_number", "district", "شماره منطقه", "منطقه"),
}
REQUIRED = ("national_code", "neighborhood")
MAX_ERRORS = 200  # a wrong file reports this many rows, not a million


@dataclass
class CensusParse:
    entries: list[tuple[str, int]] = field(default_factory=list)  # (digest, neighbourhood id)
    errors: list[str] = field(default_factory=list)

    def error(self, row: int, message: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(_("Row %(row)s: %(message)s") % {"row": format_number(row), "message": message})


def _columns(header: list) -> dict[str, int]:
    wanted = {normalize(alias): key for key, aliases in ALIASES.items() for alias in aliases}
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        key = wanted.get(normalize(cell_text(name)).replace("-", "_").strip())
        if key and key not in found:
            found[key] = index
    return found


def _neighbourhoods(city: City) -> dict[str, dict[int, int]]:
    """Normalised name → {district number: neighbourhood id} for the city."""
    names: dict[str, dict[int, int]] = {}
    rows = Neighborhood.objects.filter(district__city=city).values_list("name_normalized", "district__number", "id")
    for name, number, pk in rows:
        names.setdefault(name, {})[number] = pk
    return names


def read_census_file(*, city: City, stream: IO[bytes], filename: str) -> CensusParse:
    """Check every row of an uploaded list for ``city``; the result has either entries or errors."""
    result = CensusParse()
    limit = limits(max_rows=MAX_ROWS)
    data = stream.read(limit.max_bytes + 1)  # never more than the limit in memory
    try:
        records = read_table(data, filename, limit)
        header = next(records, None)
        if not header or not any(cell_text(cell).strip() for cell in header):
            result.error(1, _("The file is empty: the first row must name the columns."))
            return result
        columns = _columns(header)
        missing = [name for name in REQUIRED if name not in columns]
        if missing:
            result.error(1, _("Missing columns: %(columns)s.") % {"columns": "، ".join(missing)})
            return result
        _check_rows(city, records, columns, result)
    except ImportFileError as exc:
        result.error(1, str(exc))
    return result


def _check_rows(city: City, records, columns: dict[str, int], result: CensusParse) -> None:
    names = _neighbourhoods(city)
    seen: dict[str, int] = {}  # digest -> row
    rows = 0
    for row, record in enumerate(records, start=2):
        if not record:
            continue  # blank rows are allowed, spreadsheets leave them

        def value(key: str, record=record) -> str:
            index = columns.get(key)
            return " ".join(cell_text(record[index]).split()) if index is not None and index < len(record) else ""

        rows += 1
        raw_code = value("national_code")
        index = columns["national_code"]
        if index < len(record) and isinstance(record[index], int | float):
            raw_code = raw_code.zfill(10)  # a spreadsheet keeps 0012345679 as the number 12345679
        try:
            code = normalize_national_code(raw_code)
        except ValidationError:
            result.error(row, _("“national_code” is not a valid 10-digit national code."))
            code = None
        neighborhood_id = _neighbourhood_of(value("neighborhood"), value("district_number"), names, row, result)
        if code is None or neighborhood_id is None:
            continue
        digest = national_code_key(code)
        if digest in seen:
            result.error(row, _("This national code is also on row %(row)s.") % {"row": format_number(seen[digest])})
            continue
        seen[digest] = row
        result.entries.append((digest, neighborhood_id))
    if rows == 0:
        result.error(2, _("The file has no rows to import."))


def _neighbourhood_of(
    name: str, district: str, names: dict[str, dict[int, int]], row: int, result: CensusParse
) -> int | None:
    if not name:
        result.error(row, _("“neighborhood” is empty."))
        return None
    found = names.get(normalize(name))
    name = name if len(name) <= 60 else name[:60] + "…"
    if not found:
        result.error(row, _("The city has no neighbourhood called “%(name)s”.") % {"name": name})
        return None
    if district:
        digits = to_ascii_digits(district).strip()
        number = int(digits) if digits.isdigit() and len(digits) < 4 else None
        if number not in found:
            result.error(
                row,
                _("District %(number)s has no neighbourhood called “%(name)s”.")
                % {"number": district[:10], "name": name},
            )
            return None
        return found[number]
    if len(found) > 1:
        numbers = "، ".join(format_number(n) for n in sorted(found))
        result.error(
            row,
            _("Districts %(numbers)s each have a neighbourhood called “%(name)s”: give “district_number”.")
            % {"numbers": numbers, "name": name},
        )
        return None
    return next(iter(found.values()))


@transaction.atomic
def census_list_replace(*, actor: User, city: City, entries: list[tuple[str, int]], file_name: str = "") -> CensusList:
    """Replace ``city``'s census list with checked ``entries`` (from ``read_census_file``), all at once.

    Accounts an earlier list confirmed stay confirmed, and a listed person
    who confirmed an account keeps it: the claim moves to the new entry.
    """
    if not can_manage_city(actor, city.pk):
        raise PermissionDenied(_("Only the city's administrators can upload its census list."))
    City.objects.select_for_update().filter(pk=city.pk).first()  # one upload per city at a time
    claims = dict(
        CensusEntry.objects.filter(city=city, claimed_by__isnull=False).values_list("digest", "claimed_by_id")
    )
    CensusEntry.objects.filter(city=city).delete()
    CensusEntry.objects.bulk_create(
        (
            clean_instance(
                CensusEntry(city=city, neighborhood_id=neighborhood_id, digest=digest, claimed_by_id=claims.get(digest))
            )
            for digest, neighborhood_id in entries
        ),
        batch_size=5000,
    )
    census, _created = CensusList.objects.update_or_create(
        city=city,
        defaults={
            "file_name": file_name[:200],
            "entry_count": len(entries),
            "uploaded_at": timezone.now(),
            "uploaded_by": actor,
        },
    )
    log_action(actor=actor, action="census_list.uploaded", target=census, note=str(len(entries)))
    return census


@transaction.atomic
def census_list_delete(*, actor: User, census: CensusList) -> None:
    """Remove a city's census list and every entry; accounts it confirmed stay confirmed."""
    if not can_manage_city(actor, census.city_id):
        raise PermissionDenied(_("Only the city's administrators can upload its census list."))
    CensusEntry.objects.filter(city_id=census.city_id).delete()
    log_action(actor=actor, action="census_list.deleted", target=census)
    census.delete()
