"""The real thing: a Celery worker on the real Redis, a broker outage at commit time, the sweep.

Skipped only when REDIS_URL is unset (CI sets it) or when the test database
lives in this process's memory, where a second process cannot reach it.
"""

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection, transaction

from civic_portal import celery_app
from notifications import tasks
from notifications.events import Channel
from notifications.models import Notification, Status
from notifications.services import notify
from notifications.tasks import deliver_notification
from tests import factories
from tests.conftest import _database_url

pytestmark = pytest.mark.integration
BASE_DIR = Path(__file__).resolve().parents[2]


def shareable_database():
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and ("memory" in name or name == ":memory:"):
        pytest.skip("the test database is in memory: another process cannot open it")


def wait_until(check, timeout=45.0):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return check()


def row_status(pk):
    return Notification.objects.filter(pk=pk).values_list("status", flat=True).first()


def test_real_worker_delivers_an_email_end_to_end(mail_dir, celery_worker_process, settings):
    shareable_database()
    settings.NOTIFICATIONS_QUEUE = celery_worker_process
    user = factories.UserFactory(email="worker@example.org")
    with transaction.atomic():
        rows = notify(
            event="comment_replied",
            recipients=[user],
            context={"actor": "مریم", "project": "<b>پارک</b>", "excerpt": "موافقم"},
            url="/projects/3/",
        )
    email_row = next(row for row in rows if row.channel == Channel.EMAIL)
    [message] = mail_dir.wait_for(1)
    assert message["Subject"].strip() == "مریم به نظر شما پاسخ داد"
    assert message["To"] == "worker@example.org"
    text = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert "«<b>پارک</b>»" in text and "&lt;b&gt;پارک&lt;/b&gt;" in html
    assert 'dir="rtl"' in html
    assert "/notifications/unsubscribe/" in text and message["List-Unsubscribe"]
    assert wait_until(lambda: row_status(email_row.pk) == Status.SENT)
    assert Notification.objects.get(pk=email_row.pk).attempts == 1


BROKER_DOWN_SCRIPT = """
import sys
import django
django.setup()
from django.db import transaction
from accounts.models import User
from notifications.services import notify
user = User.objects.get(pk=int(sys.argv[1]))
with transaction.atomic():
    rows = notify(
        event="comment_rejected", recipients=[user], context={"project": "پارک", "reason": "-"}, url="/projects/1/"
    )
print("committed", len(rows))
"""


def commit_with_broker_down(user_id: int) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civic_portal.settings",
            "DEBUG": "true",
            "DATABASE_URL": _database_url(connection.settings_dict),
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", BROKER_DOWN_SCRIPT, str(user_id)],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.django_db(transaction=True)
def test_broker_down_at_commit_is_delivered_by_the_sweep_exactly_once(request, mail_dir, settings):
    shareable_database()
    user = factories.UserFactory(email="outage@example.org")
    result = commit_with_broker_down(user.pk)
    assert result.returncode == 0, result.stderr
    assert "committed 2" in result.stdout
    assert "Broker unreachable, notifications.tasks.deliver_notification not enqueued" in result.stderr

    row = Notification.objects.get(recipient=user, channel=Channel.EMAIL)
    assert (row.status, row.attempts) == (Status.PENDING, 0)
    assert mail_dir.messages() == []

    if os.environ.get("REDIS_URL"):
        # The broker is back: the sweep publishes to the real Redis, a real worker sends.
        queue = request.getfixturevalue("celery_worker_process")
        settings.NOTIFICATIONS_QUEUE = queue
        celery_app.conf.CELERY_TASK_ALWAYS_EAGER = False
    settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 0
    assert tasks.sweep() == 1
    assert len(mail_dir.wait_for(1)) == 1
    assert wait_until(lambda: row_status(row.pk) == Status.SENT)

    # Exactly once: another sweep finds nothing, a stray duplicate task sends nothing.
    assert tasks.sweep() == 0
    deliver_notification.apply_async(args=[row.pk])
    time.sleep(2)
    assert len(mail_dir.messages()) == 1
    row.refresh_from_db()
    assert (row.status, row.attempts) == (Status.SENT, 1)
