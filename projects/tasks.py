"""Periodic work of the projects app, and large imports on the ``imports`` queue."""

from __future__ import annotations

import logging

from celery import shared_task
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils import timezone, translation

from projects import conf
from projects.importing import Progress, project_import
from projects.models import BudgetingRound, RoundStatus
from projects.services import (
    import_job_finish,
    import_job_progress,
    import_job_start,
    round_publish_results,
)

logger = logging.getLogger(__name__)


@shared_task
def publish_closed_rounds() -> int:
    """Publish the results of every open round whose voting has closed; safe to run any number of times."""
    published = 0
    due = BudgetingRound.objects.filter(status=RoundStatus.OPEN, closes_on__lt=timezone.localdate())
    for round_id in due.values_list("id", flat=True):
        try:
            round_publish_results(budgeting_round=BudgetingRound(pk=round_id), actor=None)
        except ValidationError as exc:  # another run got there first
            logger.info("Round %s not published: %s", round_id, exc)
            continue
        published += 1
    return published


@shared_task
def import_projects_job(job_id: int) -> None:
    """Run a queued projects import (``imports`` queue): the job is taken once, its progress and outcome kept on it."""
    job = import_job_start(job_id=job_id)
    if job is None:
        return
    with job.file.open("rb") as stream:
        data = stream.read()
    progress = Progress(lambda rows: import_job_progress(job=job, processed=rows), every=conf.import_progress_rows())
    with translation.override(settings.LANGUAGE_CODE):
        result = project_import(
            actor=job.created_by,
            city=job.city,
            data=data,
            filename=job.filename,
            max_rows=conf.import_max_rows(),
            progress=progress,
        )
        import_job_finish(job=job, created=result.created, errors=[str(error) for error in result.errors])
