"""The author's notice of a moderation decision, sent a little after the decision.

A moderator can undo a decision from the queue for a short while; the
notice waits that long (``MODERATION_NOTICE_DELAY_SECONDS``) in a Celery task
that reads the comment again and writes the notice only if the same
decision still stands. An undone decision, or one taken again since (a new
decision time), leaves the waiting task nothing to do.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.urls import reverse

from core.tasks import enqueue_on_commit_after
from notifications.services import notify
from notifications.tasks import DeliveryTask
from projects import conf, events
from projects.models import Comment, CommentStatus


def schedule_decision_notice(comment: Comment) -> None:
    """Queue the notice of ``comment``'s decision for after the commit and the delay."""
    enqueue_on_commit_after(
        conf.moderation_notice_delay_seconds(),
        send_comment_decision_notice,
        comment.pk,
        comment.status,
        comment.moderated_at.isoformat(),
    )


# On the notifications queue (and NOTIFICATIONS_QUEUE when set): it writes a notice, like the deliveries.
@shared_task(base=DeliveryTask)
def send_comment_decision_notice(comment_id: int, status: str, decided_at: str) -> bool:
    """Tell a comment's author of the moderator's decision, unless it was undone or taken again meanwhile."""
    return decision_notify(comment_id=comment_id, status=status, decided_at=decided_at)


@transaction.atomic
def decision_notify(*, comment_id: int, status: str, decided_at: str) -> bool:
    """Write the author's notice (the notifications outbox) if the decision still stands; return whether it did."""
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("project", "author", "moderated_by")
        .filter(pk=comment_id)
        .first()
    )
    if (
        comment is None
        or comment.status != status
        or comment.moderated_at is None
        or comment.moderated_at.isoformat() != decided_at
        or comment.author_id is None
    ):
        return False
    if status == CommentStatus.PUBLISHED:
        notify(
            event=events.COMMENT_APPROVED,
            recipients=[comment.author],
            target=comment,
            context={"project": comment.project.title},
            url=f"{reverse('projects:detail', args=[comment.project_id])}#comment-{comment.pk}",
            actor=comment.moderated_by,
        )
        return True
    if status == CommentStatus.REJECTED:
        notify(
            event=events.COMMENT_REJECTED,
            recipients=[comment.author],
            target=comment,
            context={"project": comment.project.title, "reason": comment.moderation_reason},
            url=reverse("projects:detail", args=[comment.project_id]),
            actor=comment.moderated_by,
        )
        return True
    return False
