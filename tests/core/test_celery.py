import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db import transaction

from civic_portal import celery_app
from core.tasks import enqueue_on_commit, ping


@pytest.fixture
def eager():
    """Run tasks in-process, as a portal without REDIS_URL does."""
    # With a namespace the Django-style key is the one Celery reads.
    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.mark.django_db
def test_task_is_enqueued_only_after_commit(eager, django_capture_on_commit_callbacks):
    key = f"k-{uuid.uuid4().hex}"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            enqueue_on_commit(ping, key, "sent")
            assert cache.get(key) is None  # nothing leaves before the commit
    assert len(callbacks) == 1
    assert cache.get(key) == "sent"


@pytest.mark.django_db
def test_rolled_back_transaction_enqueues_nothing(eager, django_capture_on_commit_callbacks):
    key = f"k-{uuid.uuid4().hex}"
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            enqueue_on_commit(ping, key, "sent")
            raise RuntimeError("the write failed")
    assert callbacks == []
    assert cache.get(key) is None


UNREACHABLE_BROKER_SCRIPT = """
import django, time
django.setup()
from django.db import transaction
from core.tasks import enqueue_on_commit, ping
start = time.monotonic()
with transaction.atomic():
    enqueue_on_commit(ping, "k", "v")
print("committed in", round(time.monotonic() - start, 1))
"""


def test_unreachable_broker_does_not_break_the_commit(tmp_path):
    """Redis down at commit time: the write stands, the publish is logged, nothing raises."""
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "CACHE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civic_portal.settings",
            "DEBUG": "true",
            "VAR_DIR": str(tmp_path),
            "REDIS_URL": "redis://127.0.0.1:1/0",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", UNREACHABLE_BROKER_SCRIPT],
        cwd=Path(__file__).resolve().parents[2],
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "committed in" in result.stdout
    assert "Broker unreachable, core.tasks.ping not enqueued" in result.stderr


def test_real_worker_runs_a_task_from_real_redis(celery_worker_process):
    import time

    key = f"k-{uuid.uuid4().hex}"
    ping.apply_async(args=(key, "from-worker"), queue=celery_worker_process)
    deadline = time.monotonic() + 45
    while time.monotonic() < deadline and cache.get(key) is None:
        time.sleep(0.2)
    assert cache.get(key) == "from-worker"


def test_beat_schedule_and_reliability_settings():
    conf = celery_app.conf
    assert conf.task_acks_late is True
    assert conf.task_time_limit and conf.task_soft_time_limit < conf.task_time_limit
    assert "clear-expired-sessions" in conf.beat_schedule
