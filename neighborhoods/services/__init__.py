"""Every write on neighbourhood records; pages, API, admin and commands call these."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.forms.models import model_to_dict
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role, User, public_name
from accounts.services import user_change_role
from core.audit import log_action
from core.records import record_delete, record_save
from core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, validate_upload
from neighborhoods import events
from neighborhoods.models import (
    NEXT_STATUSES,
    NeedReport,
    NeedReportStatusChange,
    NeedStatus,
    NeighborhoodHouse,
    TrusteeBoard,
    Trusteeship,
)
from neighborhoods.permissions import (
    can_change_need_status,
    can_file_need,
    can_manage_board,
    can_manage_house,
)
from notifications.services import notify
from places.models import Neighborhood


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
        event=events.NEED_REPORT_STATUS_CHANGED,
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


@transaction.atomic
def trusteeships_detach_account(*, user: User) -> int:
    """Before a member's account is deleted: their ended seats keep the member's name, without the account.

    A seat is a public record (decree, term); the database protects it from
    the account's deletion. Seats still in force refuse the deletion instead
    (``permissions.account_deletion_blocker``). Returns how many seats were detached.
    """
    seats = list(Trusteeship.objects.select_for_update().filter(user=user, term_end__lt=timezone.localdate()))
    for seat in seats:
        seat.member_name = seat.member_name or public_name(user)
        seat.user = None
        seat.save(update_fields=["member_name", "user"])
        log_action(actor=None, action="trusteeship.account_detached", target=seat)
    return len(seats)


# --- neighbourhood houses ---------------------------------------------------------------
def _require_house(actor: User, house: NeighborhoodHouse) -> None:
    if not can_manage_house(actor, house):
        raise PermissionDenied(_("You may change places only in the districts you serve."))


@transaction.atomic
def house_save(*, actor: User, house: NeighborhoodHouse) -> NeighborhoodHouse:
    """Create or change a neighbourhood's house, in the actor's districts, with an audit entry."""
    if house.pk is not None:
        _require_house(actor, NeighborhoodHouse.objects.select_related("neighborhood").get(pk=house.pk))
    _require_house(actor, house)
    return record_save(actor=actor, record=house)


@transaction.atomic
def house_delete(*, actor: User, house: NeighborhoodHouse) -> None:
    _require_house(actor, house)
    record_delete(actor=actor, record=house)


from neighborhoods.services.announcements import (  # noqa: E402, F401  (the announcements' writes, with the rest)
    announcement_approve,
    announcement_create,
    announcement_reject,
)
