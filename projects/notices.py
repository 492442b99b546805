"""The notices of a moderation decision, sent a little after the decision.

A moderator can undo a decision from the queue for a short while; every
notice the decision causes (the author's, and for an approved reply the
parent comment's author's) waits that long (``MODERATION_NOTICE_DELAY_SECONDS``)
in a Celery task that reads the comment again and writes the notices only if
the same decision still stands. An undone decision, or one taken again since
(a new decision time), leaves the waiting task nothing to do.
"""

from __future__ import annotations

from celery import shared_task
from django.db import transaction
from django.urls import reverse

from accounts.models import User
from core.tasks import enqueue_on_commit_after
from notifications.services import notify
from notifications.tasks import DeliveryTask
from projects import conf, events
from projects.models import Comment, CommentStatus


def comment_url(comment: Comment) -> str:
    return f"{reverse('projects:detail', args=[comment.project_id])}#comment-{comment.pk}"


def notify_parent_author(comment: Comment) -> None:
    """Tell the parent comment's author of a reply that has just become public (not their own)."""
    if comment.parent_id and comment.parent.author_id != comment.author_id:
        notify(
            event=events.COMMENT_REPLIED,
            recipients=User.objects.filter(pk=comment.parent.author_id),
            target=comment,
            context={
                "actor": comment.author_name,
                "project": comment.project.title,
                "excerpt": comment.text[:300],
            },
            url=comment_url(comment),
            actor=comment.author,
            # Edited and approved again, a reply is still one reply.
            dedupe_key=f"comment-replied-{comment.pk}",
        )


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
    """Write the decision's notices (the notifications outbox) if it still stands; return whether it did.

    An approval that published a reply also tells the parent comment's author,
    here rather than at the decision, so an undone approval tells nobody.
    """
    comment = (
        Comment.objects.select_for_update(of=("self",))
        .select_related("project", "author", "moderated_by", "parent")
        .filter(pk=comment_id)
        .first()
    )
    if (
        comment is None
        or comment.status != status
        or comment.moderated_at is None
        or comment.moderated_at.isoformat() != decided_at
    ):
        return False
    if status == CommentStatus.PUBLISHED and comment.status_before_decision != CommentStatus.PUBLISHED:
        notify_parent_author(comment)
    if comment.author_id is None:
        return False
    if status == CommentStatus.PUBLISHED:
        notify(
            event=events.COMMENT_APPROVED,
            recipients=[comment.author],
            target=comment,
            context={"project": comment.project.title},
            url=comment_url(comment),
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
