"""Settings for running on several machines: Celery queues and uploads on S3-compatible storage."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from civic_portal.celery import app

BASE_DIR = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize(
    ("task", "queue"),
    [
        ("notifications.tasks.deliver_notification", "notifications"),
        ("notifications.tasks.sweep_pending", "notifications"),
        ("notifications.tasks.send_digests", "notifications"),
        ("projects.tasks.import_projects", "imports"),
        ("ngos.tasks.licence_sweep_task", "celery"),
        ("projects.tasks.publish_closed_rounds", "celery"),
        ("accounts.tasks.send_code", "otp"),
        ("projects.notices.send_comment_decision_notice", "notifications"),
    ],
)
def test_tasks_go_to_their_own_queue(task, queue):
    route = app.amqp.router.route({}, task)
    assert route["queue"].name == queue


def test_a_worker_without_q_consumes_every_queue():
    assert {q.name for q in app.conf.task_queues} == {"celery", "notifications", "imports", "otp"}


def _settings_with(env: dict[str, str]) -> dict:
    """Load the real settings in a fresh process with ``env`` and report the storage set-up."""
    script = """
import json, django
django.setup()
from django.conf import settings
from django.core.files.storage import default_storage
from core.private_files import private_storage
print(json.dumps({
    "default": settings.STORAGES["default"],
    "private": settings.STORAGES.get("private"),
    "public_url": default_storage.url("projects/a.png"),
    "private_url": private_storage().url("decrees/a.pdf"),
    "private_class": type(private_storage()).__name__,
}))
"""
    base = {k: v for k, v in os.environ.items() if not k.startswith("S3_")}
    environment = {**base, "DJANGO_SETTINGS_MODULE": "civic_portal.settings", "DEBUG": "true", **env}
    done = subprocess.run(  # noqa: S603
        [sys.executable, "-c", script], cwd=BASE_DIR, env=environment, capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_uploads_go_to_s3_when_a_bucket_is_set_and_decrees_stay_without_a_url():
    found = _settings_with(
        {
            "S3_BUCKET": "civic-media",
            "S3_ENDPOINT_URL": "https://s3.example.org",
            "S3_CUSTOM_DOMAIN": "media.example.org",
            "S3_ACCESS_KEY_ID": "key",
            "S3_SECRET_ACCESS_KEY": "secret",
        }
    )
    assert found["default"]["BACKEND"] == "storages.backends.s3.S3Storage"
    assert found["default"]["OPTIONS"]["bucket_name"] == "civic-media"
    assert found["public_url"] == "https://media.example.org/media/projects/a.png"
    assert found["private"]["OPTIONS"]["location"] == "private"
    assert found["private_class"] == "PrivateS3Storage" and found["private_url"] == ""

    local = _settings_with({})
    assert local["default"]["BACKEND"] == "django.core.files.storage.FileSystemStorage"
    assert local["private"] is None and local["private_class"] == "PrivateStorage"
