"""The Celery application: Redis broker, configuration from Django settings."""

import os

from celery import Celery

from core import metrics

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")

app = Celery("civic_portal", task_cls="celery.contrib.django.task:DjangoTask")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task outcomes for /metrics, counted in workers and in eager runs alike.
metrics.connect_celery_signals()
