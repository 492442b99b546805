"""Reads the project page, the list and the API share; each keeps a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.shortcuts import get_object_or_404

from projects import conf
from projects.models import (
    Comment,
    CommentStatus,
    PhaseChange,
    Project,
    ProjectUpdate,
    ProjectUpdateImage,
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
