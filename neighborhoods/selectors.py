"""Reads that pages and the API share, each in a fixed number of queries.

Counts are correlated subqueries rather than joins, so adding members or
reports never adds queries or multiplies rows.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.cache import cache
from django.db.models import Count, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.utils import timezone

from accounts.models import User
from accounts.personal_data import moments
from core import pagecache
from neighborhoods import activity, topics
from neighborhoods.models import (
    OPEN_STATUSES,
    Announcement,
    AnnouncementAudience,
    AnnouncementStatus,
    NeedReport,
    TrusteeBoard,
    TrusteeCategory,
    Trusteeship,
)
from notifications.selectors import subscribers_of
from places.models import Area, City, District, Neighborhood


def _count(queryset: QuerySet, group_by: str) -> Coalesce:
    """``COUNT(*)`` of ``queryset`` rows whose ``group_by`` is the outer row."""
    counted = (
        queryset.filter(**{group_by: OuterRef("pk")}).order_by().values(group_by).annotate(n=Count("pk")).values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _open_needs() -> QuerySet[NeedReport]:
    return NeedReport.objects.filter(status__in=OPEN_STATUSES)


# --- districts ---------------------------------------------------------------------
def district_list(*, city: City | None = None) -> QuerySet[District]:
    """Districts with their number of areas, neighbourhoods and open needs."""
    districts = District.objects.select_related("city").annotate(
        area_count=_count(Area.objects.all(), "district"),
        neighborhood_count=_count(Neighborhood.objects.all(), "district"),
        open_need_count=_count(_open_needs(), "neighborhood__district"),
    )
    if city is not None:
        districts = districts.filter(city=city)
    return districts.order_by("city__name", "number")


def district_detail(pk: int) -> District:
    """A district with its areas and their neighbourhoods (each with its open needs) prefetched."""
    neighborhoods = Neighborhood.objects.annotate(open_need_count=_count(_open_needs(), "neighborhood")).order_by(
        "name"
    )
    return get_object_or_404(
        district_list().prefetch_related(
            Prefetch("areas", queryset=Area.objects.order_by("name")),
            Prefetch("areas__neighborhoods", queryset=neighborhoods),
        ),
        pk=pk,
    )


def district_activity(district: District) -> dict[str, Any]:
    """What the apps above report of the district (``activity.register``): projects, organisations."""
    return activity.of_place("district", district)


# --- neighbourhoods -------------------------------------------------------------------
def active_members_prefetch(lookup: str = "trusteeships", *, on: dt.date | None = None) -> Prefetch:
    """Active members with their accounts, as ``active_members`` on each board."""
    members = Trusteeship.objects.active(on).select_related("user").order_by("category", "term_start", "id")
    return Prefetch(lookup, queryset=members, to_attr="active_members")


def neighborhood_list() -> QuerySet[Neighborhood]:
    """Neighbourhoods with place, house, board, active members and open need count."""
    return (
        Neighborhood.objects.select_related("area", "district__city", "house", "board")
        .annotate(open_need_count=_count(_open_needs(), "neighborhood"))
        .prefetch_related(active_members_prefetch("board__trusteeships"))
        .order_by("district__city__name", "district__number", "name")
    )


def neighborhood_detail(pk: int) -> Neighborhood:
    return get_object_or_404(neighborhood_list(), pk=pk)


def members_by_category(members: list[Trusteeship]) -> list[tuple[str, list[Trusteeship]]]:
    """``[(category label, members), …]`` in the order categories are listed on pages."""
    order = {value: index for index, value in enumerate(TrusteeCategory.values)}
    groups: dict[str, list[Trusteeship]] = {}
    for member in sorted(members, key=lambda m: (order.get(m.category, 99), m.display_name)):
        groups.setdefault(member.category, []).append(member)
    return [(TrusteeCategory(category).label, group) for category, group in groups.items()]


def board_of(neighborhood: Neighborhood) -> TrusteeBoard | None:
    return getattr(neighborhood, "board", None)


def open_needs_of(neighborhood: Neighborhood, *, limit: int = 20) -> list[NeedReport]:
    return list(_open_needs().filter(neighborhood=neighborhood).order_by("-created_at", "-id")[:limit])


def neighborhood_activity(neighborhood: Neighborhood) -> dict[str, Any]:
    """What the apps above report of the neighbourhood (``activity.register``): projects, organisations."""
    return activity.of_place("neighborhood", neighborhood)


# --- staff announcements ---------------------------------------------------------------
def announcements_of(place: Neighborhood | District, *, limit: int = 5) -> list[Announcement]:
    """The newest sent announcements a place's page shows, from the cache or in one query.

    A neighbourhood shows its own and its district's district-wide ones; a
    district shows its district-wide ones (a neighbourhood's stay on that neighbourhood's page).
    They change a few times a week and are read on every place page, signed in
    or not, so the list is cached under the announcements topic's version,
    which every saved announcement bumps.
    """
    (token,), _found = pagecache.versions([topics.ANNOUNCEMENTS])
    key = f"announcements:{token}:{place._meta.model_name}:{place.pk}:{limit}"
    shown = cache.get(key)
    if shown is None:
        shown = _sent_announcements(place, limit)
        cache.set(key, shown, 24 * 3600)
    return shown


def _sent_announcements(place: Neighborhood | District, limit: int) -> list[Announcement]:
    sent = Announcement.objects.filter(status=AnnouncementStatus.SENT).select_related("neighborhood")
    if isinstance(place, Neighborhood):
        sent = sent.filter(Q(neighborhood=place) | Q(district_id=place.district_id, neighborhood__isnull=True))
    else:
        sent = sent.filter(district=place, neighborhood__isnull=True)
    return list(sent.order_by("-published_at", "-id")[:limit])


def audience_of(announcement: Announcement) -> QuerySet[User]:
    """The people an announcement is for, each once, as one query.

    Followers: of the neighbourhood and of its district (as news of a project
    in a neighbourhood reaches both), or of the district and any of its
    neighbourhoods. Residents: people whose home neighbourhood is the place or lies in it.
    """
    if announcement.neighborhood_id:
        followed = [announcement.neighborhood, announcement.district]
        homes = Q(home_neighborhood_id=announcement.neighborhood_id)
    else:
        followed = [announcement.district, Neighborhood.objects.filter(district_id=announcement.district_id)]
        homes = Q(home_neighborhood__district_id=announcement.district_id)
    condition = Q()
    if announcement.audience in (AnnouncementAudience.FOLLOWERS, AnnouncementAudience.BOTH):
        condition |= Q(pk__in=subscribers_of(followed).values("pk"))
    if announcement.audience in (AnnouncementAudience.RESIDENTS, AnnouncementAudience.BOTH):
        condition |= homes
    return User.objects.filter(condition, is_active=True)


# --- boards and need reports -----------------------------------------------------------
def trustee_board_list() -> QuerySet[TrusteeBoard]:
    """Boards with their place and every member (active and past), newest terms first."""
    members = Trusteeship.objects.select_related("user").order_by("-term_end", "category", "id")
    return TrusteeBoard.objects.select_related("neighborhood__district__city", "neighborhood__area").prefetch_related(
        Prefetch("trusteeships", queryset=members, to_attr="members")
    )


def need_report_list() -> QuerySet[NeedReport]:
    return NeedReport.objects.public()


def need_report_history(report: NeedReport):
    return report.status_changes.select_related("actor").order_by("created_at", "id")


def today() -> dt.date:
    return timezone.localdate()


# --- a citizen's own seats and reports, for their export (accounts.personal_data) --------------
def my_trusteeships(user) -> list[dict]:
    rows = Trusteeship.objects.filter(user=user).select_related("board__neighborhood").order_by("term_start", "id")
    return [
        {
            "neighborhood": t.board.neighborhood.name,
            "category": t.category,
            "category_display": str(t.get_category_display()),
            "decree_number": t.decree_number,
            "decree_date": t.decree_date.isoformat(),
            "decree_issuer": t.decree_issuer,
            "term_start": t.term_start.isoformat(),
            "term_end": t.term_end.isoformat(),
        }
        for t in rows
    ]


def my_need_reports(user) -> list[dict]:
    rows = NeedReport.objects.filter(reporter=user).select_related("neighborhood").order_by("created_at", "id")
    return [
        {
            "id": r.pk,
            "neighborhood": r.neighborhood.name,
            "category": r.category,
            "title": r.title,
            "description": r.description,
            "status": r.status,
            "status_display": str(r.get_status_display()),
            "agency": r.agency,
            **moments(created_at=r.created_at, status_changed_at=r.status_changed_at),
        }
        for r in rows
    ]


# --- the staff dashboard (core.admin.dashboard) -------------------------------------------------
def unanswered_need_reports_q() -> Q:
    """Reports still waiting for staff's first answer (status "reported") for more than ``NEED_REPORT_ANSWER_DAYS``."""
    from django.conf import settings

    from neighborhoods.models import NeedStatus

    cutoff = timezone.now() - dt.timedelta(days=settings.NEED_REPORT_ANSWER_DAYS)
    return Q(status=NeedStatus.REPORTED, created_at__lt=cutoff)


def register_dashboard() -> None:
    """New need reports and those unanswered too long, with links to exactly those rows; need reports per day."""
    from django.conf import settings
    from django.utils.translation import gettext
    from django.utils.translation import gettext_lazy as _

    from core.admin import dashboard
    from core.persian import format_number
    from neighborhoods.models import NeedStatus

    path = "neighborhood__district"

    @dashboard.once_per_request
    def waiting(user) -> dict[str, int]:
        return dashboard.scoped_counts(
            NeedReport.objects.filter(status=NeedStatus.REPORTED),
            user,
            path,
            new=Q(status=NeedStatus.REPORTED),
            overdue=unanswered_need_reports_q(),
        )

    dashboard.register_queue(
        "need_reports_new",
        _("New need reports"),
        lambda user: waiting(user)["new"],
        dashboard.changelist("neighborhoods.needreport", f"status__exact={NeedStatus.REPORTED}"),
        order=70,
    )
    dashboard.register_queue(
        "need_reports_overdue",
        lambda: gettext("Need reports unanswered for more than %(days)s days")
        % {"days": format_number(settings.NEED_REPORT_ANSWER_DAYS)},
        lambda user: waiting(user)["overdue"],
        dashboard.changelist("neighborhoods.needreport", "answer=overdue"),
        order=80,
    )
    dashboard.register_series(
        "need_reports",
        _("Need reports"),
        lambda user, since: dashboard.daily_counts(NeedReport.objects.all(), user, path, "created_at", since),
        order=40,
    )
