"""One upload of a projects file: a repeat is refused, a small file imported now, a large one queued."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.importing import ImportFileError, Limits, limits, read_table
from core.jalali import jalali_date_string
from core.persian import localize_digits
from places.models import City
from projects import conf
from projects.importing.rows import ImportResult, RowError, project_import
from projects.models import ImportJob, ImportStatus
from projects.services import import_job_finish, import_job_open


@dataclass
class Submission:
    result: ImportResult
    job: ImportJob | None = None  # set when the file was queued for the ``imports`` task


def earlier_import(*, city: City, sha256: str) -> ImportJob | None:
    """The import of the same file into the same city that went in or is still under way."""
    return ImportJob.objects.filter(city=city, sha256=sha256).exclude(status=ImportStatus.FAILED).first()


def _count_rows(data: bytes, filename: str, limit: Limits) -> int:
    rows = read_table(data, filename, limit)
    next(rows, None)
    return sum(1 for values in rows if values)


def _refused_as_repeat(earlier: ImportJob) -> Submission:
    message = _("This file was already imported on %(date)s (“%(file)s”, import %(id)s); it is not imported again.")
    values = {
        "date": jalali_date_string(earlier.created_at, with_time=True),
        "file": earlier.filename,
        "id": localize_digits(earlier.pk),
    }
    return Submission(ImportResult(errors=[RowError(1, "-", message % values)]))


def submit_import(
    *, actor: User | None, city: City, data: bytes, filename: str, max_rows: int, background: bool
) -> Submission:
    """Import a file once: a repeat is refused naming the earlier import.

    With ``background``, a file of more than ``PROJECT_IMPORT_ASYNC_ROWS`` rows
    is stored on a queued ``ImportJob`` for ``tasks.import_projects_job``,
    which the caller enqueues; smaller files are imported now. Two uploads of
    one file at the same moment both pass the first check; the constraint on
    ``ImportJob`` lets one job in and the other is answered as a repeat.
    """
    sha256 = hashlib.sha256(data).hexdigest()
    earlier = earlier_import(city=city, sha256=sha256)
    if earlier is not None:
        return _refused_as_repeat(earlier)
    try:
        return _submit_new(
            actor=actor,
            city=city,
            data=data,
            filename=filename,
            sha256=sha256,
            max_rows=max_rows,
            background=background,
        )
    except IntegrityError:
        earlier = earlier_import(city=city, sha256=sha256)
        if earlier is None:  # not the one-live-import constraint
            raise
        return _refused_as_repeat(earlier)


def _submit_new(
    *, actor: User | None, city: City, data: bytes, filename: str, sha256: str, max_rows: int, background: bool
) -> Submission:
    limit = limits(max_rows=max_rows)
    try:
        total = _count_rows(data, filename, limit)
    except ImportFileError as exc:
        return Submission(ImportResult(errors=[RowError(1, "-", str(exc))]))
    if background and total > conf.import_async_rows():
        job = import_job_open(
            actor=actor, city=city, filename=filename, data=data, sha256=sha256, total_rows=total, keep_file=True
        )
        return Submission(ImportResult(), job=job)  # the caller enqueues ``tasks.import_projects_job``
    with transaction.atomic():
        # The job is opened first: a simultaneous upload of the same file waits on it and is refused
        # without importing anything; a file with errors leaves no job behind.
        job = import_job_open(
            actor=actor, city=city, filename=filename, data=data, sha256=sha256, total_rows=total, keep_file=False
        )
        result = project_import(actor=actor, city=city, data=data, filename=filename, max_rows=max_rows)
        if result.ok:
            import_job_finish(job=job, created=result.created, errors=[])
        else:
            transaction.set_rollback(True)
    return Submission(result)
