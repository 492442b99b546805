"""The record of each projects import: opened in the request, run now or by a task, closed with its outcome."""

from __future__ import annotations

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from places.models import City
from projects.models import ImportJob, ImportStatus


@transaction.atomic
def import_job_open(
    *, actor: User | None, city: City, filename: str, data: bytes, sha256: str, total_rows: int, keep_file: bool
) -> ImportJob:
    """Record an upload; a queued job keeps its file in private storage until the task has read it.

    The row goes in before the file: a second live job for the same file and
    city fails on ``ImportJob``'s constraint (``IntegrityError``) having
    written nothing, and never touches the first one's file.
    """
    job = ImportJob(city=city, created_by=actor, filename=filename[:200], sha256=sha256, total_rows=total_rows)
    job.save()
    if keep_file:
        job.file.save(f"{sha256}.{filename.rsplit('.', 1)[-1][:5]}", ContentFile(data), save=False)
        job.save(update_fields=["file"])
    return job


@transaction.atomic
def import_job_start(*, job_id: int) -> ImportJob | None:
    """Mark a queued job running; None when it is gone or another run has it already."""
    job = ImportJob.objects.select_for_update().filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.QUEUED:
        return None
    job.status = ImportStatus.RUNNING
    job.save(update_fields=["status"])
    return job


def import_job_progress(*, job: ImportJob, processed: int) -> None:
    """Record how many rows a running job has read: one UPDATE, committed at once, outside the import's transaction."""
    ImportJob.objects.filter(pk=job.pk, status=ImportStatus.RUNNING).update(processed_rows=processed)
    job.processed_rows = processed


@transaction.atomic
def import_job_finish(*, job: ImportJob, created: int, errors: list[str]) -> ImportJob:
    """Keep the outcome (the count or the errors) and drop the stored file."""
    job.status = ImportStatus.FAILED if errors else ImportStatus.DONE
    if not errors:
        job.processed_rows = job.total_rows  # every row went in
    job.created_count = created
    job.errors = errors[:500]
    job.finished_at = timezone.now()
    if job.file:
        job.file.delete(save=False)
    job.save()
    return job
