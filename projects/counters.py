"""Keep the denormalised project counters right when rows vanish outside the services.

The services move ``support_count`` and ``comment_count`` with ``F()``
updates in the same transaction as the row they count. A user account
deleted in the admin takes its supports and comments with it by cascade,
which no service sees, so the affected projects are recounted from their
rows after such a delete. (Supports and comments now outlive the account,
their author emptied; the recount then confirms the counters.) The flags an
account raised do go with it, so the open-flag count of the comments it
flagged is recounted too.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.db.models import Count, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce
from django.db.models.signals import post_delete, pre_delete

from projects.models import Comment, CommentFlag, CommentStatus, Project, Support
from projects.topics import bump_project


def _count(model, **condition) -> Coalesce:
    rows = model.objects.filter(project=OuterRef("pk"), **condition).order_by().values("project")
    return Coalesce(Subquery(rows.annotate(n=Count("pk")).values("n"), output_field=IntegerField()), Value(0))


def recount(project_ids: Iterable[int]) -> int:
    """Set the counters of these projects from their rows; returns how many projects were updated."""
    ids = sorted(set(project_ids))
    if not ids:
        return 0

    updated = Project.objects.filter(pk__in=ids).update(
        support_count=_count(Support),
        comment_count=_count(Comment, status=CommentStatus.PUBLISHED),
    )
    for project_id in ids:
        bump_project(project_id)
    return updated


def _remember_projects(sender, instance, **kwargs) -> None:
    supported = Support.objects.filter(user=instance).values_list("project_id", flat=True)
    commented = Comment.objects.filter(
        Q(author=instance) | Q(parent__author=instance), status=CommentStatus.PUBLISHED
    ).values_list("project_id", flat=True)
    instance._counted_projects = {*supported, *commented}
    flagged = CommentFlag.objects.filter(user=instance, resolved=False).values_list("comment_id", flat=True)
    instance._flagged_comments = set(flagged)


def recount_open_flags(comment_ids: Iterable[int]) -> int:
    """Set ``open_flag_count`` of these comments from their unresolved flags."""
    ids = sorted(set(comment_ids))
    if not ids:
        return 0
    open_flags = (
        CommentFlag.objects.filter(comment=OuterRef("pk"), resolved=False)
        .order_by()
        .values("comment")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Comment.objects.filter(pk__in=ids).update(
        open_flag_count=Coalesce(Subquery(open_flags, output_field=IntegerField()), Value(0))
    )


def _recount_projects(sender, instance, **kwargs) -> None:
    recount(getattr(instance, "_counted_projects", ()))
    recount_open_flags(getattr(instance, "_flagged_comments", ()))


def connect_signals() -> None:
    pre_delete.connect(_remember_projects, sender=settings.AUTH_USER_MODEL, dispatch_uid="projects-counters-pre")
    post_delete.connect(_recount_projects, sender=settings.AUTH_USER_MODEL, dispatch_uid="projects-counters-post")
