"""Reads the project page, the list and the API share; each keeps a fixed number of queries."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from accounts.personal_data import moments
from projects import conf
from projects.models import (
    Ballot,
    Comment,
    CommentStatus,
    Idea,
    PhaseChange,
    Project,
    ProjectUpdate,
    ProjectUpdateImage,
    Support,
)
from projects.models.participation import OWN_STATUSES


def public_projects() -> QuerySet:
    """Projects anyone may see; the base of the list page, the API and the open-data export."""
    return Project.objects.all()


def project_list(*, user=None) -> QuerySet:
    return public_projects().for_list().with_viewer_state(user)


def project_for_page(project_id: int, *, user=None) -> Project:
    """A project with everything its page shows, in a fixed number of queries."""
    queryset = (
        public_projects()
        .for_list()
        .with_viewer_state(user)
        .select_related("proposer_organization")
        .prefetch_related(
            Prefetch(
                "updates",
                queryset=ProjectUpdate.objects.select_related("author").prefetch_related(
                    Prefetch("images", queryset=ProjectUpdateImage.objects.order_by("id"))
                ),
                to_attr="update_list",
            ),
            Prefetch(
                "phase_changes",
                queryset=PhaseChange.objects.select_related("changed_by").order_by("changed_at", "id"),
                to_attr="phase_change_list",
            ),
        )
    )
    return get_object_or_404(queryset, pk=project_id)


@dataclass
class TimelineEntry:
    kind: str  # "phase" or "update"
    at: object
    item: object


def timeline(project: Project) -> list[TimelineEntry]:
    """Phase changes and official updates merged, newest first (uses the prefetched lists)."""
    entries = [TimelineEntry("phase", c.changed_at, c) for c in project.phase_change_list]
    entries += [TimelineEntry("update", u.created_at, u) for u in project.update_list]
    return sorted(entries, key=lambda e: e.at, reverse=True)


_COMMENT_FIELDS = (
    "id",
    "project_id",
    "parent_id",
    "text",
    "status",
    "created_at",
    "edited_at",
    "moderation_reason",
    "author_id",
    "author__display_name",
)


@dataclass
class CommentPage:
    comments: list[Comment]
    offset: int
    has_more: bool
    next_offset: int


def comment_threads(project: Project, *, user=None, offset: int = 0) -> CommentPage:
    """One page of top-level comments (newest first) with their replies, in one query whatever the size.

    A top-level comment its author deleted stays as a placeholder while it has
    published replies, so the conversation keeps its shape. The viewer also
    sees their own comments that are not public, with their status.
    """
    size = conf.comments_page_size()
    signed_in = getattr(user, "is_authenticated", False)
    has_published_replies = Exists(Comment.objects.filter(parent=OuterRef("pk"), status=CommentStatus.PUBLISHED))
    top_condition = Q(status=CommentStatus.PUBLISHED) | Q(status=CommentStatus.DELETED, has_replies=True)
    reply_condition = Q(status=CommentStatus.PUBLISHED)
    if signed_in:
        top_condition |= Q(author=user, status__in=OWN_STATUSES)
        reply_condition |= Q(author=user, status__in=OWN_STATUSES)
    page_ids = (
        Comment.objects.filter(project=project, parent__isnull=True)
        .annotate(has_replies=has_published_replies)
        .filter(top_condition)
        .order_by("-created_at", "-id")
        .values("id")[offset : offset + size + 1]
    )
    rows = list(
        # The project filter is implied by the ids, but without it PostgreSQL cannot use an
        # index for the OR of two subqueries and scans every comment of every project.
        Comment.objects.filter(project=project)
        .filter(Q(pk__in=page_ids) | (Q(parent_id__in=page_ids) & reply_condition))
        .select_related("author")
        .only(*_COMMENT_FIELDS)
    )
    tops = sorted((c for c in rows if c.parent_id is None), key=lambda c: (c.created_at, c.pk), reverse=True)
    replies: dict[int, list[Comment]] = {}
    for comment in sorted((c for c in rows if c.parent_id is not None), key=lambda c: (c.created_at, c.pk)):
        replies.setdefault(comment.parent_id, []).append(comment)
    for comment in tops:
        comment.reply_list = replies.get(comment.pk, [])
    return CommentPage(comments=tops[:size], offset=offset, has_more=len(tops) > size, next_offset=offset + size)


def latest_projects(limit: int = 6) -> list[Project]:
    """The newest projects for the home page: three queries whatever their number."""
    return list(public_projects().for_list().order_by("-created_at", "-id")[:limit])


# --- what place pages show of projects (neighborhoods.activity) -------------------------
def district_projects_activity(district) -> dict:
    return {"project_count": public_projects().filter(district=district).count()}


def neighborhood_projects_activity(neighborhood, *, limit: int = 10) -> dict:
    """The neighbourhood's project count and newest projects (two queries)."""
    projects = public_projects().filter(neighborhoods=neighborhood)
    return {
        "project_count": projects.count(),
        "projects": list(projects.only("id", "title", "phase", "progress").order_by("-id")[:limit]),
    }


# --- a citizen's own participation, for their export (accounts.personal_data) ------------------
def _project_ref(project: Project) -> dict:
    return {"id": project.pk, "title": project.title}


def my_comments(user) -> list[dict]:
    """The person's comments and replies, every status; the reply's parent by id only (its author is not theirs)."""
    rows = (
        Comment.objects.filter(author=user)
        .select_related("project")
        .only(
            "id", "parent_id", "text", "status", "created_at", "edited_at", "published_at", "moderated_at",
            "moderation_reason", "project__id", "project__title",
        )
        .order_by("created_at", "id")
    )  # fmt: skip
    return [
        {
            "id": c.pk,
            "project": _project_ref(c.project),
            "in_reply_to": c.parent_id,
            "text": c.text,
            "status": c.status,
            "status_display": str(c.get_status_display()),
            "moderation_reason": c.moderation_reason,
            **moments(
                created_at=c.created_at, edited_at=c.edited_at, published_at=c.published_at, moderated_at=c.moderated_at
            ),
        }
        for c in rows
    ]


def my_supports(user) -> list[dict]:
    rows = Support.objects.filter(user=user).select_related("project", "district").order_by("created_at", "id")
    return [
        {
            "project": _project_ref(s.project),
            "cast_as_resident_of": s.district.name if s.district_id else None,
            **moments(created_at=s.created_at),
        }
        for s in rows
    ]


def my_ballots(user) -> list[dict]:
    rows = (
        Ballot.objects.filter(voter=user)
        .select_related("round", "cycle", "district")
        .prefetch_related(Prefetch("projects", queryset=Project.objects.only("id", "title").order_by("id")))
        .order_by("created_at", "id")
    )
    return [
        {
            "round": {"id": b.round_id, "title": b.round.title},
            "cycle": {"id": b.cycle_id, "title": b.cycle.title},
            "projects": [_project_ref(p) for p in b.projects.all()],
            "cast_as_resident_of": b.district.name,
            **moments(created_at=b.created_at, updated_at=b.updated_at),
        }
        for b in rows
    ]


def my_ideas(user) -> list[dict]:
    rows = Idea.objects.filter(author=user).select_related("round", "neighborhood").order_by("created_at", "id")
    return [
        {
            "id": i.pk,
            "idea_round": {"id": i.round_id, "title": i.round.title},
            "neighborhood": i.neighborhood.name,
            "title": i.title,
            "description": i.description,
            "photo": i.photo.url if i.photo else None,
            "latitude": str(i.latitude) if i.latitude is not None else None,
            "longitude": str(i.longitude) if i.longitude is not None else None,
            "status": i.status,
            "status_display": str(i.get_status_display()),
            "review_reason": i.review_reason,
            "resulting_project": i.project_id,
            **moments(created_at=i.created_at, reviewed_at=i.reviewed_at),
        }
        for i in rows
    ]


# --- signs of a campaign, for staff (the project and budgeting round admin pages) --------------
# An account created this shortly before it supported (or voted) counts as new: a campaign makes
# its accounts just before it votes, while the age of the account today says nothing about that.
NEW_ACCOUNT_WINDOW = dt.timedelta(hours=24)
TOP_NETWORKS = 5


@dataclass(frozen=True)
class CampaignSignals:
    total: int
    by_new_accounts: int
    # (sign-up network label, how many of the rows came from accounts created from it), busiest first
    networks: list[tuple[str, int]]


def campaign_signals(rows: QuerySet, person: str) -> CampaignSignals:
    """How many of ``rows`` (supports or ballots) came from new accounts, and the busy sign-up networks.

    ``person`` names the account field of the rows (``user``, ``voter``).
    Two queries whatever the number of rows; rows of deleted accounts count
    in the total only.
    """
    new = Q(**{f"{person}__date_joined__gt": F("created_at") - NEW_ACCOUNT_WINDOW})
    counts = rows.aggregate(total=Count("pk"), new=Count("pk", filter=new))
    network = f"{person}__signup_network"
    busy = (
        rows.exclude(**{f"{person}__isnull": True})
        .exclude(**{network: ""})
        .values(network)
        .annotate(accounts=Count("pk"))
        .filter(accounts__gte=conf.network_min_accounts())
        .order_by("-accounts", network)[:TOP_NETWORKS]
    )
    return CampaignSignals(
        total=counts["total"],
        by_new_accounts=counts["new"],
        networks=[(row[network], row["accounts"]) for row in busy],
    )


def project_campaign_signals(project: Project) -> CampaignSignals:
    return campaign_signals(Support.objects.filter(project=project), "user")


def round_campaign_signals(budgeting_round) -> CampaignSignals:
    return campaign_signals(Ballot.objects.filter(round=budgeting_round), "voter")


# --- the staff dashboard (core.admin.dashboard) -------------------------------------------------
def register_dashboard() -> None:
    """Comments to moderate and ideas to review, with the links to exactly those rows; comments and supports per day."""
    from django.utils.translation import gettext_lazy as _

    from core.admin import dashboard
    from projects.models import Comment, CommentStatus, Idea, IdeaStatus, Support

    @dashboard.once_per_request
    def comments(user) -> dict[str, int]:
        return dashboard.scoped_counts(
            Comment.objects.filter(status__in=[CommentStatus.PENDING, CommentStatus.HIDDEN]),
            user,
            "project__district",
            pending=Q(status=CommentStatus.PENDING),
            hidden=Q(status=CommentStatus.HIDDEN),
        )

    dashboard.register_queue(
        "comments_pending",
        _("Comments awaiting moderation"),
        lambda user: comments(user)["pending"],
        dashboard.changelist("projects.comment", f"status__exact={CommentStatus.PENDING}"),
        order=10,
    )
    dashboard.register_queue(
        "comments_hidden",
        _("Comments hidden after reports"),
        lambda user: comments(user)["hidden"],
        dashboard.changelist("projects.comment", f"status__exact={CommentStatus.HIDDEN}"),
        order=20,
    )
    dashboard.register_queue(
        "ideas_submitted",
        _("Ideas awaiting review"),
        lambda user: dashboard.scoped_count(
            Idea.objects.filter(status=IdeaStatus.SUBMITTED), user, "neighborhood__district"
        ),
        dashboard.changelist("projects.idea", f"status__exact={IdeaStatus.SUBMITTED}"),
        order=60,
    )
    dashboard.register_series(
        "comments",
        _("Comments"),
        lambda user, since: dashboard.daily_counts(
            Comment.objects.all(), user, "project__district", "created_at", since
        ),
        order=10,
    )
    dashboard.register_series(
        "supports",
        _("Supports"),
        lambda user, since: dashboard.daily_counts(
            Support.objects.all(), user, "project__district", "created_at", since
        ),
        order=20,
    )
