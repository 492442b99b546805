"""Who may do what to boards and need reports (geography: ``places.permissions``).

Pages, the API and the admin all ask these functions, so each rule lives once.
Staff authority is the district scope from ``accounts.permissions``; a
trustee's authority is an active trusteeship linked to their account.
"""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from accounts.permissions import (
    can_act_in_district,
    is_staff_member,
    scope_to_districts,
    staff_district_ids,
)
from neighborhoods.models import Announcement, NeedReport, NeighborhoodHouse, TrusteeBoard, Trusteeship
from places.models import Neighborhood
from places.permissions import can_manage_city


# --- trustees --------------------------------------------------------------------
def active_trusteeships_of(user: User) -> QuerySet[Trusteeship]:
    """The user's seats whose term covers today."""
    if not user.is_authenticated or not user.is_active:
        return Trusteeship.objects.none()
    return Trusteeship.objects.active().filter(user=user)


def neighborhoods_user_can_report_for(user: User) -> QuerySet[Neighborhood]:
    """Neighbourhoods whose board has the user as an active member."""
    board_ids = active_trusteeships_of(user).values("board_id")
    return Neighborhood.objects.filter(board__in=board_ids)


def can_file_need(user: User, neighborhood: Neighborhood, *, active_members: list[Trusteeship] | None = None) -> bool:
    """Only an active member of this neighbourhood's own board files its needs.

    A page that already loaded the board's active seats passes them as
    ``active_members`` and gets the answer without another query.
    """
    if active_members is not None:
        return user.is_authenticated and user.is_active and any(m.user_id == user.pk for m in active_members)
    return active_trusteeships_of(user).filter(board__neighborhood_id=neighborhood.pk).exists()


# --- need reports ------------------------------------------------------------------
def can_change_need_status(user: User, report: NeedReport) -> bool:
    """Staff move a report along only in the districts they serve."""
    return can_act_in_district(user, report.neighborhood.district_id)


def can_view_need_history(user: User, report: NeedReport) -> bool:
    """The full history (who and why) is for the reporter and the staff in charge."""
    if not user.is_authenticated:
        return False
    return report.reporter_id == user.pk or can_change_need_status(user, report)


def need_reports_managed_by(user: User) -> QuerySet[NeedReport]:
    return scope_to_districts(NeedReport.objects.all(), user, "neighborhood__district")


# --- boards and decrees --------------------------------------------------------------
def can_manage_board(user: User, board: TrusteeBoard) -> bool:
    """Boards, members and decrees are kept by the staff of the board's district."""
    return can_act_in_district(user, board.neighborhood.district_id)


def boards_managed_by(user: User) -> QuerySet[TrusteeBoard]:
    return scope_to_districts(TrusteeBoard.objects.all(), user, "neighborhood__district")


def trusteeships_managed_by(user: User) -> QuerySet[Trusteeship]:
    return scope_to_districts(Trusteeship.objects.all(), user, "board__neighborhood__district")


def can_see_decree(user: User, trusteeship: Trusteeship) -> bool:
    """Decree numbers and scans are for staff only: the public sees name, category and term."""
    return can_manage_board(user, trusteeship.board)


def district_checker(user: User) -> Callable[[int | None], bool]:
    """``check(district_id)`` for many rows with one scope lookup (lists, serializers)."""
    scope = staff_district_ids(user)
    staff = is_staff_member(user)

    def check(district_id: int | None) -> bool:
        if scope is None:
            return staff
        return district_id is not None and district_id in scope

    return check


# --- neighbourhood houses ---------------------------------------------------------------
def can_manage_house(user: User, house: NeighborhoodHouse) -> bool:
    """A neighbourhood's house is kept by the staff of its district, as its areas and neighbourhoods are."""
    return house.neighborhood_id is not None and can_act_in_district(user, house.neighborhood.district_id)


# --- staff announcements ----------------------------------------------------------------
def can_announce_in(user: User, district_id: int | None) -> bool:
    """Staff announce to the followers and residents of the districts they serve (city admins: their city)."""
    return can_act_in_district(user, district_id)


def can_decide_announcement(user: User, announcement: Announcement) -> bool:
    """An announcement held for its SMS cost is approved or rejected by a system administrator of its city."""
    return can_manage_city(user, announcement.district.city_id)


def announcements_managed_by(user: User) -> QuerySet[Announcement]:
    return scope_to_districts(Announcement.objects.all(), user, "district")


def account_deletion_blocker(user: User) -> str | None:
    """A seat in force (or still to come) on a trustee board is protected: the district office ends it first."""
    boards = list(
        Trusteeship.objects.filter(user=user, term_end__gte=timezone.localdate())
        .order_by("board__neighborhood__name")
        .values_list("board__neighborhood__name", flat=True)
        .distinct()
    )
    if not boards:
        return None
    return _(
        "You are a member of the trustee board of %(neighborhoods)s. Please ask the district office to end "
        "your term or unlink your account from the board before deleting it."
    ) % {"neighborhoods": "، ".join(f"«{name}»" for name in boards)}
