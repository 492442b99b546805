"""An undone decision leaves no trace for citizens: the flags it closed are open again, and nobody is told.

The notices of a decision wait ``MODERATION_NOTICE_DELAY_SECONDS`` in a task
that runs after the commit; here the captured commit callbacks stand for the
end of the delay (the task runs eagerly when they are called).
"""

from __future__ import annotations

import pytest
from django.db.models import F

from notifications.events import Channel
from notifications.models import Notification
from projects.models import Comment, CommentStatus, FlagReason, Project
from projects.services import comment_flag, comment_moderate, comment_moderation_undo
from tests import factories

QUEUE = "/admin/projects/moderationqueueitem/"
HIDDEN_BY_FLAGS = f"{QUEUE}?status__exact=hidden"


@pytest.fixture
def delayed(settings, eager_tasks, django_capture_on_commit_callbacks):
    """``delayed(call, **kwargs)``: run a service call; return the notice tasks left waiting for the delay."""
    settings.MODERATION_NOTICE_DELAY_SECONDS = 1

    def _call(call, **kwargs):
        with django_capture_on_commit_callbacks() as waiting:
            call(**kwargs)
        return waiting

    return _call


def _delay_ends(*waiting) -> None:
    for callbacks in waiting:
        for callback in callbacks:
            callback()


def _published(project, **kwargs) -> Comment:
    """A published comment, counted on its project as the services count it."""
    Project.objects.filter(pk=project.pk).update(comment_count=F("comment_count") + 1)
    return factories.CommentFactory(project=project, **kwargs)


def _hidden_by_flags(project, count: int = 3) -> Comment:
    comment = _published(project, text="این نظر را چند نفر گزارش کرده‌اند")
    for _ in range(count):
        comment_flag(comment=comment, user=factories.UserFactory(), reason=FlagReason.INSULT)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.open_flag_count == count
    return comment


def _open_flags(comment: Comment) -> list[int]:
    return sorted(comment.flags.filter(resolved=False).values_list("pk", flat=True))


@pytest.mark.parametrize("approve", [True, False], ids=["approved", "rejected"])
def test_undo_puts_a_flagged_comment_back_hidden_with_its_flags_open(
    client_for, district_staff, project, approve, delayed
):
    comment = _hidden_by_flags(project)
    flags = _open_flags(comment)
    closed_earlier = factories.CommentFlagFactory(comment=comment, resolved=True)  # settled by an older decision
    count_before = Project.objects.get(pk=project.pk).comment_count
    waiting = delayed(comment_moderate, comment=comment, actor=district_staff, approve=approve, reason="توهین")
    comment.refresh_from_db()
    assert comment.open_flag_count == 0 and _open_flags(comment) == []

    comment_moderation_undo(comment=comment, actor=district_staff)
    _delay_ends(waiting)

    comment.refresh_from_db()
    assert comment.status == CommentStatus.HIDDEN and comment.open_flag_count == 3
    assert _open_flags(comment) == flags and closed_earlier.pk not in _open_flags(comment)
    assert comment.moderated_at is None and comment.status_before_decision == ""
    assert Project.objects.get(pk=project.pk).comment_count == count_before
    assert not Notification.objects.filter(recipient=comment.author).exists()
    page = client_for(district_staff).get(HIDDEN_BY_FLAGS).content.decode()
    assert f'form="approve-{comment.pk}"' in page and "۳ گزارش تخلف باز" in page


def test_undo_of_a_published_comment_with_a_flag_keeps_it_public_and_flagged(district_staff, project, delayed):
    comment = _published(project)
    comment_flag(comment=comment, user=factories.UserFactory(), reason=FlagReason.SPAM)
    waiting = delayed(comment_moderate, comment=comment, actor=district_staff, approve=False, reason="تبلیغ")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED
    comment_moderation_undo(comment=comment, actor=district_staff)
    _delay_ends(waiting)
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and comment.open_flag_count == 1
    assert Comment.objects.moderation_queue().filter(pk=comment.pk).exists()
    assert not Notification.objects.exists()


def test_a_decision_taken_again_after_undo_closes_the_flags_again(district_staff, project, delayed):
    comment = _hidden_by_flags(project)
    delayed(comment_moderate, comment=comment, actor=district_staff, approve=True)
    comment_moderation_undo(comment=comment, actor=district_staff)
    delayed(comment_moderate, comment=comment, actor=district_staff, approve=False, reason="توهین")
    comment.refresh_from_db()
    assert comment.status == CommentStatus.REJECTED and comment.open_flag_count == 0
    assert _open_flags(comment) == []


# --- a reply's notice to the parent comment's author waits for the undo delay too ------------------
@pytest.fixture
def reply(project, citizen):
    parent = factories.CommentFactory(project=project, author=citizen, text="پارک سایه ندارد")
    return factories.CommentFactory(
        project=project, parent=parent, text="موافقم، درخت بکارند", status=CommentStatus.PENDING, published_at=None
    )


def _told_of_the_reply(citizen):
    return Notification.objects.filter(recipient=citizen, event="comment_replied")


def test_an_approved_reply_undone_within_the_delay_tells_nobody(district_staff, citizen, reply, delayed):
    waiting = delayed(comment_moderate, comment=reply, actor=district_staff, approve=True)
    assert not _told_of_the_reply(citizen).exists()  # nothing before the delay ends
    comment_moderation_undo(comment=reply, actor=district_staff)
    _delay_ends(waiting)
    assert not Notification.objects.exists()  # neither the parent's author nor the reply's


def test_an_approved_reply_tells_the_parent_author_once_after_the_delay(district_staff, citizen, reply, delayed):
    waiting = delayed(comment_moderate, comment=reply, actor=district_staff, approve=True)
    assert not _told_of_the_reply(citizen).exists()
    _delay_ends(waiting)
    told = _told_of_the_reply(citizen)
    assert told.filter(channel=Channel.IN_APP).count() == 1
    assert set(Notification.objects.values_list("event", "recipient")) == {
        ("comment_replied", citizen.pk),
        ("comment_approved", reply.author_id),
    }
    # Approved again after an undo, the reply is still one reply.
    comment_moderation_undo(comment=reply, actor=district_staff)
    _delay_ends(delayed(comment_moderate, comment=reply, actor=district_staff, approve=True))
    assert told.filter(channel=Channel.IN_APP).count() == 1
