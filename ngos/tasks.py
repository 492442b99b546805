"""Periodic work of the organisations app."""

from __future__ import annotations

from celery import shared_task

from ngos.services import licence_sweep


@shared_task
def licence_sweep_task() -> dict[str, int]:
    """Daily (see CELERY_BEAT_SCHEDULE): expired licences and 30/7-day reminders, each recorded once."""
    return licence_sweep().as_counts()
