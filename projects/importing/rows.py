"""Reading and checking the rows of a projects file, and importing them all or none.

Columns (English or Persian headers, any order): title, description,
category, district, neighborhood, budget, responsible_unit, proposer_kind,
proposer_name, phase, progress, start_date, end_date, latitude, longitude.
See docs/projects-import.md.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from django.utils import translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.importing import CellError, ImportFileError, Limits, cell_text, check_cell, limits, read_table
from core.jalali import parse_jalali_date
from core.persian import localize_digits, normalize, to_ascii_digits
from places.models import City, District, Neighborhood
from projects.models import Category, Phase, Project, ProposerKind
from projects.permissions import can_manage_district
from projects.services import projects_import_bulk

HEADERS = {
    "title": ("title", "عنوان"),
    "description": ("description", "توضیحات", "شرح"),
    "category": ("category", "دسته", "دسته بندی", "موضوع"),
    "district": ("district", "منطقه", "شماره منطقه"),
    "neighborhood": ("neighborhood", "neighbourhood", "neighborhoods", "محله", "محلات"),
    "budget": ("budget", "بودجه", "بودجه (ریال)", "اعتبار"),
    "responsible_unit": ("responsible_unit", "واحد مسئول", "مجری"),
    "proposer_kind": ("proposer_kind", "proposer", "پیشنهاددهنده", "نوع پیشنهاددهنده"),
    "proposer_name": ("proposer_name", "نام پیشنهاددهنده"),
    "phase": ("phase", "مرحله", "وضعیت"),
    "progress": ("progress", "پیشرفت", "درصد پیشرفت"),
    "start_date": ("start_date", "تاریخ شروع", "شروع"),
    "end_date": ("end_date", "تاریخ پایان", "پایان"),
    "latitude": ("latitude", "lat", "عرض جغرافیایی"),
    "longitude": ("longitude", "lng", "lon", "طول جغرافیایی"),
    "external_id": ("external_id", "شناسه", "شناسه خارجی"),
}
# The model field each column fills: every cell is checked against it before anything is written.
COLUMNS = {
    "title": Project._meta.get_field("title"),
    "description": Project._meta.get_field("description"),
    "category": Project._meta.get_field("category"),
    "district": District._meta.get_field("number"),
    "neighborhood": Project._meta.get_field("neighborhoods"),
    "budget": Project._meta.get_field("budget"),
    "responsible_unit": Project._meta.get_field("responsible_unit"),
    "proposer_kind": Project._meta.get_field("proposer_kind"),
    "proposer_name": Project._meta.get_field("proposer_name"),
    "phase": Project._meta.get_field("phase"),
    "progress": Project._meta.get_field("progress"),
    "start_date": Project._meta.get_field("start_date"),
    "end_date": Project._meta.get_field("end_date"),
    "latitude": Project._meta.get_field("latitude"),
    "longitude": Project._meta.get_field("longitude"),
    "external_id": Project._meta.get_field("external_id"),
}
_HEADER_LOOKUP = {normalize(alias): key for key, aliases in HEADERS.items() for alias in aliases}
_LIST_SEPARATORS = (";", "؛", "،", "|")


@dataclass
class RowError:
    row: int
    column: str
    message: str

    def __str__(self) -> str:
        return _("Row %(row)s, %(column)s: %(message)s") % {
            "row": localize_digits(self.row),
            "column": self.column,
            "message": self.message,
        }


@dataclass
class ImportResult:
    created: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


# --- reading ------------------------------------------------------------------
class Progress:
    """Counts the data rows read and reports the count every ``every`` rows and once more at the end.

    Rows are counted as ``ImportJob.total_rows`` counts them (blank rows
    skipped), so the last report equals the total.
    """

    def __init__(self, report: Callable[[int], None], every: int):
        self.report = report
        self.every = max(1, every)
        self.rows = 0

    def row(self) -> None:
        self.rows += 1
        if self.rows % self.every == 0:
            self.report(self.rows)

    def finish(self) -> None:
        if self.rows % self.every:
            self.report(self.rows)


def read_rows(
    data: bytes, filename: str, limit: Limits, progress: Progress | None = None
) -> Iterator[dict[str, object]]:
    """Yield each data row as {column key: raw value}; the header row is row 1."""
    rows = read_table(data, filename, limit)
    try:
        header = next(rows)
    except StopIteration:
        raise ImportFileError(_("The file is empty.")) from None
    keys = [_HEADER_LOOKUP.get(normalize(cell_text(h)[:200])) for h in header]
    if "title" not in keys:
        raise ImportFileError(_("The first row must name the columns; a “title” column is required."))
    for values in rows:
        if values and progress is not None:
            progress.row()
        yield {key: value for key, value in zip(keys, values, strict=False) if key}
    if progress is not None:
        progress.finish()


# --- parsing one value ----------------------------------------------------------
def _text(value: object) -> str:
    return " ".join(cell_text(value).split())


def parse_date_value(value: object) -> dt.date | None:
    """A Jalali date (1403/05/12, Persian digits too), an ISO date, or a spreadsheet date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = to_ascii_digits(_text(value))
    if not text:
        return None
    try:
        return parse_jalali_date(text)
    except ValueError:
        pass
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ValueError(text) from None


def _choices_lookup(choices: type) -> dict[str, str]:
    """Accept a choice's code, its English label or its Persian label."""
    lookup = {}
    for value, label in choices.choices:
        lookup[normalize(value)] = value
        for language in ("en", "fa"):
            with translation.override(language):
                lookup[normalize(str(label))] = value
    return lookup


# --- validation -----------------------------------------------------------------
class _Validator:
    def __init__(self, city: City, actor: User | None, limit: Limits):
        self.city = city
        self.limit = limit
        self.actor = actor
        self.categories = _choices_lookup(Category)
        self.phases = _choices_lookup(Phase)
        self.proposers = _choices_lookup(ProposerKind)
        self.by_name: dict[str, list[Neighborhood]] = defaultdict(list)
        for hood in Neighborhood.objects.filter(district__city=city).select_related("district"):
            self.by_name[hood.name_normalized].append(hood)
        self.allowed_districts: dict[int, bool] = {}
        known = Project.objects.filter(district__city=city).exclude(external_id="")
        self.external_ids: dict[str, str] = dict(known.values_list("external_id", "title"))
        self.seen_ids: dict[str, int] = {}

    def _may_use(self, district_id: int) -> bool:
        if self.actor is None:
            return True
        if district_id not in self.allowed_districts:
            self.allowed_districts[district_id] = can_manage_district(self.actor, district_id)
        return self.allowed_districts[district_id]

    def project_from(self, number: int, raw: dict[str, object], errors: list[RowError]) -> tuple[Project, list] | None:
        start = len(errors)

        def fail(column: str, message: str) -> None:
            errors.append(RowError(number, column, message))

        cells: dict[str, object] = {}
        for column, model_field in COLUMNS.items():
            value = raw.get(column)
            if column == "progress" and isinstance(value, str):
                value = value.strip().rstrip("%٪")
            try:
                cells[column] = check_cell(model_field, value, self.limit)
            except CellError as exc:
                fail(column, str(exc))
        if len(errors) > start:
            return None  # a cell that cannot fill its column says nothing reliable about the others

        title = _text(raw.get("title"))
        if not title:
            fail("title", _("The title is missing."))
        elif len(title) > 200:
            fail("title", _("The title is longer than 200 characters."))

        def choice(column: str, lookup: dict[str, str], default: str) -> str:
            text = _text(raw.get(column))
            if not text:
                return default
            value = lookup.get(normalize(text))
            if value is None:
                fail(column, _("Unknown value “%(value)s”.") % {"value": text})
                return default
            return value

        external_id = cells["external_id"]
        if external_id in self.external_ids:
            fail(
                "external_id",
                _("A project with the id “%(id)s” is already on the portal: “%(title)s”.")
                % {"id": external_id, "title": self.external_ids[external_id]},
            )
        elif external_id in self.seen_ids:
            fail(
                "external_id",
                _("The id “%(id)s” is also given in row %(row)s.")
                % {"id": external_id, "row": localize_digits(self.seen_ids[external_id])},
            )
        elif external_id:
            self.seen_ids[external_id] = number

        category = choice("category", self.categories, Category.OTHER)
        phase = choice("phase", self.phases, Phase.PROPOSED)
        proposer_kind = choice("proposer_kind", self.proposers, ProposerKind.MUNICIPALITY)

        district_number = cells["district"] if cells["district"] != "" else None

        hoods = []
        names = _text(raw.get("neighborhood"))
        for separator in _LIST_SEPARATORS[1:]:
            names = names.replace(separator, _LIST_SEPARATORS[0])
        names = [n.strip() for n in names.split(_LIST_SEPARATORS[0]) if n.strip()]
        if not names:
            fail("neighborhood", _("The neighbourhood is missing."))
        for name in names:
            candidates = self.by_name.get(normalize(name), [])
            if district_number is not None:
                candidates = [h for h in candidates if h.district.number == district_number]
            if not candidates:
                fail("neighborhood", _("Unknown neighbourhood “%(name)s”.") % {"name": name})
            elif len(candidates) > 1:
                fail("neighborhood", _("“%(name)s” is in several districts; add the district number.") % {"name": name})
            else:
                hoods.append(candidates[0])
        district = hoods[0].district if hoods else None
        if district is not None:
            if any(h.district_id != district.pk for h in hoods):
                fail("neighborhood", _("All neighbourhoods of a project must be in one district."))
            elif not self._may_use(district.pk):
                fail("district", _("You cannot add projects in this district."))

        budget = cells["budget"] if cells["budget"] != "" else 0
        progress = cells["progress"] if cells["progress"] != "" else (100 if phase == Phase.COMPLETED else 0)

        dates = {}
        for column in ("start_date", "end_date"):
            try:
                dates[column] = parse_date_value(raw.get(column))
            except ValueError:
                fail(
                    column, _("“%(value)s” is not a date; write 1403/05/12 or 2024-08-02.") % {"value": raw.get(column)}
                )
                dates[column] = None
        if dates["start_date"] and dates["end_date"] and dates["end_date"] < dates["start_date"]:
            fail("end_date", _("The end date is before the start date."))

        coordinates = {}
        for column, limit in (("latitude", 90), ("longitude", 180)):
            value = cells[column]
            coordinates[column] = value if value != "" else None
            if value != "" and abs(value) > limit:
                fail(column, _("Out of range."))

        if len(errors) > start:
            return None
        project = Project(
            title=title,
            description=cells["description"],
            category=category,
            district=district,
            budget=budget,
            responsible_unit=cells["responsible_unit"],
            external_id=external_id,
            proposer_kind=proposer_kind,
            proposer_name=cells["proposer_name"],
            phase=phase,
            progress=progress,
            **dates,
            **coordinates,
        )
        return project, hoods


def validate_rows(
    rows: Iterable[dict[str, object]], *, city: City, actor: User | None, limit: Limits
) -> tuple[list[tuple[Project, list]], list[RowError]]:
    validator = _Validator(city, actor, limit)
    parsed, errors = [], []
    for number, raw in enumerate(rows, start=2):
        if not raw:
            continue
        result = validator.project_from(number, raw, errors)
        if result is not None:
            parsed.append(result)
    if not parsed and not errors:
        errors.append(RowError(2, "-", _("The file has no project rows.")))
    return parsed, errors


def project_import(
    *,
    actor: User | None,
    city: City,
    data: bytes,
    filename: str,
    max_rows: int = 10_000,
    progress: Progress | None = None,
) -> ImportResult:
    """Import every row or none: errors name their row; the rows go in through ``projects_import_bulk``.

    Reading and checking only read the database, so they run outside any
    transaction of this function's own: the progress a task reports while
    reading is committed, and seen by staff, as it goes. The write is one
    transaction (``projects_import_bulk``).
    """
    limit = limits(max_rows=max_rows)
    try:
        rows = read_rows(data, filename, limit, progress)
        parsed, errors = validate_rows(rows, city=city, actor=actor, limit=limit)
    except ImportFileError as exc:
        return ImportResult(errors=[RowError(1, "-", str(exc))])
    if errors:
        return ImportResult(errors=errors)
    note = _("Imported from %(file)s") % {"file": filename[:100]}
    projects = projects_import_bulk(actor=actor, projects=parsed, note=note)
    return ImportResult(created=len(projects))
