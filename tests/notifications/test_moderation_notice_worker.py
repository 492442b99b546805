"""The real thing: an approved reply's notices wait the undo delay in a real worker on the real Redis.

An approval undone within the delay leaves no row and no email for anyone;
an approval that stands reaches the parent comment's author exactly once,
after the delay. Skipped, like the other worker tests, without REDIS_URL or
with the test database in this process's memory.
"""

from __future__ import annotations

import time

import pytest

from notifications.events import Channel
from notifications.models import Notification, Status
from projects.models import CommentStatus
from projects.services import comment_moderate, comment_moderation_undo
from tests import factories
from tests.notifications.test_worker import shareable_database, wait_until

pytestmark = pytest.mark.integration
DELAY = 1


@pytest.fixture
def reply_world(mail_dir, celery_worker_process, settings):
    shareable_database()
    settings.NOTIFICATIONS_QUEUE = celery_worker_process
    settings.MODERATION_NOTICE_DELAY_SECONDS = DELAY
    district = factories.DistrictFactory()
    project = factories.ProjectFactory(district=district)
    parent_author = factories.UserFactory(email="parent@example.org")
    parent = factories.CommentFactory(project=project, author=parent_author, text="پارک سایه ندارد")
    staff = factories.StaffFactory(districts=[district])
    return project, parent, staff, mail_dir


def _reply(project, parent):
    return factories.CommentFactory(
        project=project,
        parent=parent,
        author=factories.UserFactory(email=None),
        text="موافقم",
        status=CommentStatus.PENDING,
        published_at=None,
    )


def test_an_undone_approval_sends_nothing_and_a_standing_one_is_delivered_once(reply_world):
    project, parent, staff, mail_dir = reply_world
    parent_author = parent.author

    undone = _reply(project, parent)
    comment_moderate(comment=undone, actor=staff, approve=True)  # committed: the task waits DELAY seconds
    comment_moderation_undo(comment=undone, actor=staff)
    time.sleep(DELAY + 3)  # the task has run by now, and found the decision gone
    assert not Notification.objects.exists()
    assert mail_dir.messages() == []

    kept = _reply(project, parent)
    comment_moderate(comment=kept, actor=staff, approve=True)
    [message] = mail_dir.wait_for(1)
    assert message["To"] == "parent@example.org"
    told = Notification.objects.filter(recipient=parent_author, event="comment_replied")
    assert wait_until(lambda: told.filter(channel=Channel.EMAIL, status=Status.SENT).exists())
    time.sleep(1)
    assert told.count() == 2 and told.filter(channel=Channel.IN_APP, target_id=kept.pk).count() == 1
    assert len(mail_dir.messages()) == 1
