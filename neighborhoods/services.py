"""Every write on neighbourhood records; pages, API, admin and commands call these."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User
from accounts.services import user_change_role
from core.audit import log_action, log_actions
from core.pagecache import bump
from core.persian import normalize
from core.records import record_delete, record_save
from core.text import clean_instance
from core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, validate_upload
from neighborhoods.importing import GeographyRow
from neighborhoods.models import (
    NEXT_STATUSES,
    Area,
    City,
    District,
    NeedReport,
    NeedReportStatusChange,
    NeedStatus,
    Neighborhood,
    NeighborhoodHouse,
    TrusteeBoard,
    Trusteeship,
)
from neighborhoods.permissions import (
    can_change_need_status,
    can_file_need,
    can_manage_board,
    can_manage_place,
)
from neighborhoods.topics import PLACES
from notifications.services import notify


# --- need reports ------------------------------------------------------------------
@transaction.atomic
def need_report_file(
    *,
    reporter: User,
    neighborhood: Neighborhood,
    category: str,
    title: str,
    description: str,
    photo: File | None = None,
) -> NeedReport:
    """File a need for the reporter's own neighbourhood; its history starts with this step.

    The photo is checked here (type by content, re-encoded, random name), so
    every caller gets the same protection.
    """
    if not can_file_need(reporter, neighborhood):
        raise PermissionDenied(_("Only active members of this neighbourhood's trustee board may report its needs."))
    report = NeedReport(
        neighborhood=neighborhood,
        reporter=reporter,
        category=category,
        title=title.strip(),
        description=description.strip(),
        status=NeedStatus.REPORTED,
    )
    if photo:
        try:
            report.photo = validate_upload(photo, kinds=IMAGE_KINDS)
        except ValidationError as exc:
            raise ValidationError({"photo": exc.messages}) from exc
    report.full_clean()
    report.save()
    NeedReportStatusChange.objects.create(
        report=report, actor=reporter, from_status="", to_status=NeedStatus.REPORTED, created_at=report.created_at
    )
    return report


def check_status_change(*, report: NeedReport, status: str, agency: str | None) -> str:
    """Raise ValidationError unless ``status`` is a next step of ``report``; return the agency to keep.

    Pure: the service calls it under a row lock, and the admin form calls it
    to show the same errors next to the fields.
    """
    if status not in NeedStatus.values:
        raise ValidationError({"status": _("Choose a valid status.")})
    if status not in NEXT_STATUSES[report.status]:
        message = _("A report that is “%(current)s” cannot become “%(new)s”.") % {
            "current": report.get_status_display(),
            "new": NeedStatus(status).label,
        }
        raise ValidationError({"status": message})
    new_agency = report.agency if agency is None else " ".join(agency.split())
    if status == NeedStatus.REFERRED and not new_agency:
        raise ValidationError({"agency": _("Name the agency the report is referred to.")})
    return new_agency


@transaction.atomic
def need_report_change_status(
    *,
    actor: User,
    report: NeedReport,
    status: str,
    note: str = "",
    agency: str | None = None,
) -> NeedReport:
    """Move a report one step along its workflow, recording who, when, from, to and why."""
    report = NeedReport.objects.select_for_update().select_related("neighborhood").get(pk=report.pk)
    if not can_change_need_status(actor, report):
        raise PermissionDenied(_("You may change need reports only in the districts you serve."))
    new_agency = check_status_change(report=report, status=status, agency=agency)
    note = note.strip()
    previous, previous_agency = report.status, report.agency
    report.status = status
    report.agency = new_agency
    report.status_changed_at = timezone.now()
    report.full_clean()
    report.save(update_fields=["status", "agency", "status_changed_at"])
    NeedReportStatusChange.objects.create(
        report=report,
        actor=actor,
        from_status=previous,
        to_status=status,
        agency=new_agency,
        note=note,
        created_at=report.status_changed_at,
    )
    changes = {"status": [previous, status]}
    if new_agency != previous_agency:
        changes["agency"] = [previous_agency, new_agency]
    log_action(actor=actor, action="need_report.status_changed", target=report, note=note, changes=changes)
    notify(
        event="need_report_status_changed",
        recipients=[report.reporter],
        target=report,
        context={"report": report.title, "status": report.get_status_display(), "note": note},
        url=reverse("neighborhoods:need_detail", args=[report.pk]),
        actor=actor,
    )
    return report


# --- boards and decrees -------------------------------------------------------------
def _changes(before: dict, after: dict) -> dict:
    return {key: [str(before.get(key, "")), str(value)] for key, value in after.items() if before.get(key) != value}


_BOARD_FIELDS = ("neighborhood", "formed_on")
_TRUSTEESHIP_FIELDS = (
    "user",
    "member_name",
    "category",
    "decree_number",
    "decree_date",
    "decree_issuer",
    "decree_file",
    "term_start",
    "term_end",
)


@transaction.atomic
def board_save(*, actor: User, board: TrusteeBoard) -> TrusteeBoard:
    """Create or change a board, only in the actor's districts, and keep the decision on record."""
    created = board.pk is None
    before = {}
    if not created:
        current = TrusteeBoard.objects.select_for_update().select_related("neighborhood").get(pk=board.pk)
        if not can_manage_board(actor, current):
            raise PermissionDenied(_("You may change trustee boards only in the districts you serve."))
        before = model_to_dict(current, fields=_BOARD_FIELDS)
    if not can_manage_board(actor, board):
        raise PermissionDenied(_("You may change trustee boards only in the districts you serve."))
    board.full_clean()
    board.save()
    log_action(
        actor=actor,
        action="trustee_board.created" if created else "trustee_board.changed",
        target=board,
        changes=_changes(before, model_to_dict(board, fields=_BOARD_FIELDS)),
    )
    return board


@transaction.atomic
def trusteeship_save(*, actor: User, trusteeship: Trusteeship) -> Trusteeship:
    """Record a member's seat and decree; terms of one person on one board never overlap.

    The board row is locked first, so two staff adding the same person at once
    are checked one after the other.
    """
    board = TrusteeBoard.objects.select_for_update().select_related("neighborhood").get(pk=trusteeship.board_id)
    if not can_manage_board(actor, board):
        raise PermissionDenied(_("You may change trustee boards only in the districts you serve."))
    created = trusteeship.pk is None
    before = {}
    if not created:
        current = Trusteeship.objects.select_related("board__neighborhood").get(pk=trusteeship.pk)
        if not can_manage_board(actor, current.board):
            raise PermissionDenied(_("You may change trustee boards only in the districts you serve."))
        before = model_to_dict(current, fields=_TRUSTEESHIP_FIELDS)
    scan = trusteeship.decree_file
    if scan and not getattr(scan, "_committed", True):
        try:
            trusteeship.decree_file = validate_upload(scan.file, kinds=DOCUMENT_KINDS)
        except ValidationError as exc:
            raise ValidationError({"decree_file": exc.messages}) from exc
    trusteeship.full_clean()
    trusteeship.save()
    member = trusteeship.user
    if member is not None and member.role == Role.CITIZEN:
        # the label is informational; the seat itself gives the authority
        user_change_role(actor=actor, user=member, role=Role.TRUSTEE, note=str(trusteeship.board)[:200])
    log_action(
        actor=actor,
        action="trusteeship.created" if created else "trusteeship.changed",
        target=trusteeship,
        changes=_changes(before, model_to_dict(trusteeship, fields=_TRUSTEESHIP_FIELDS)),
    )
    return trusteeship


# --- geography --------------------------------------------------------------------------
Place = City | District | Area | Neighborhood | NeighborhoodHouse


def _require_place(actor: User, place: Place) -> None:
    if not can_manage_place(actor, place):
        raise PermissionDenied(_("You may change places only in the districts you serve."))


@transaction.atomic
def place_save(*, actor: User, place: Place) -> Place:
    """Create or change a city, district, area, neighbourhood or house, in the actor's scope, with an audit entry.

    A change must be allowed both for the row as stored and as it will be
    (moving an area to another district needs both districts).
    """
    if place.pk is not None:
        _require_place(actor, type(place).objects.get(pk=place.pk))
    _require_place(actor, place)
    return record_save(actor=actor, record=place)


@transaction.atomic
def place_delete(*, actor: User, place: Place) -> None:
    """Delete a place nothing depends on any more (the database refuses otherwise)."""
    _require_place(actor, place)
    record_delete(actor=actor, record=place)


# --- geography import ------------------------------------------------------------------
@dataclass
class ImportSummary:
    districts_created: int = 0
    districts_renamed: int = 0
    areas_created: int = 0
    neighborhoods_created: int = 0
    neighborhoods_updated: int = 0
    neighborhoods_unchanged: int = 0


def _bulk_new(model, rows: list) -> list:
    """Insert new places as ``save`` would have written them: cleaned text, normalised names."""
    for row in rows:
        row.refresh_normalized()
        clean_instance(row)
    return model.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def geography_import(*, rows: list[GeographyRow], source: str = "", actor: User | None = None) -> ImportSummary:
    """Create or update the rows of an official list at once; running it again changes nothing.

    Rows come checked from ``importing.read_geography_csv``; districts match
    by city and number, areas and neighbourhoods by normalised name within
    their district. New places go in with one insert per kind and leave the
    audit entries a single save in the admin leaves (``district.created``…),
    plus one summary entry per city.
    """
    summary = ImportSummary()
    districts = {(d.city_id, d.number): d for d in District.objects.select_for_update()}
    areas = {(a.district_id, a.name_normalized): a for a in Area.objects.all()}
    places = {(n.district_id, n.name_normalized): n for n in Neighborhood.objects.all()}

    new_districts: list[District] = []
    for row in rows:
        district = districts.get((row.city.pk, row.district_number))
        if district is None:
            district = District(city=row.city, number=row.district_number, name=row.district_name)
            district.refresh_normalized()
            districts[(row.city.pk, row.district_number)] = district
            new_districts.append(district)
        elif row.district_name and normalize(row.district_name) != district.name_normalized:
            before = district.name
            district.name = row.district_name
            district.save(update_fields=["name"])
            log_action(
                actor=actor, action="district.changed", target=district, changes={"name": [before, district.name]}
            )
            summary.districts_renamed += 1
    _bulk_new(District, new_districts)
    summary.districts_created = len(new_districts)

    new_areas: list[Area] = []
    for row in rows:
        district = districts[(row.city.pk, row.district_number)]
        if (district.pk, normalize(row.area)) not in areas:
            area = Area(district=district, name=row.area)
            area.refresh_normalized()
            areas[(district.pk, area.name_normalized)] = area
            new_areas.append(area)
    _bulk_new(Area, new_areas)
    summary.areas_created = len(new_areas)

    new_places: list[Neighborhood] = []
    for row in rows:
        district = districts[(row.city.pk, row.district_number)]
        area = areas[(district.pk, normalize(row.area))]
        place = places.get((district.pk, normalize(row.neighborhood)))
        if place is None:
            place = Neighborhood(
                area=area, district=district, name=row.neighborhood, latitude=row.latitude, longitude=row.longitude
            )
            place.refresh_normalized()
            places[(district.pk, place.name_normalized)] = place
            new_places.append(place)
            continue
        wanted = {"area_id": area.pk, "name": row.neighborhood, "latitude": row.latitude, "longitude": row.longitude}
        if row.latitude is None and row.longitude is None:
            del wanted["latitude"], wanted["longitude"]  # an empty cell keeps what is on record
        changes = {
            key: [str(getattr(place, key)), str(value)] for key, value in wanted.items() if getattr(place, key) != value
        }
        if changes:
            for key in changes:
                setattr(place, key, wanted[key])
            place.area = area
            place.save()
            log_action(actor=actor, action="neighborhood.changed", target=place, changes=changes)
            summary.neighborhoods_updated += 1
        else:
            summary.neighborhoods_unchanged += 1
    _bulk_new(Neighborhood, new_places)
    summary.neighborhoods_created = len(new_places)

    for action, created in (
        ("district.created", new_districts),
        ("area.created", new_areas),
        ("neighborhood.created", new_places),
    ):
        log_actions(actor=actor, action=action, targets=created)
    for city in {row.city for row in rows}:
        log_action(actor=actor, action="geography.imported", target=city, note=source, changes=asdict(summary))
    bump(PLACES)  # bulk inserts send no signals: make the cached place pages stale here
    return summary
