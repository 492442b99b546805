"""A queued import writes how far it has read every few rows, and its admin page shows it in Persian until done."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import ImportJob, ImportStatus, Project
from projects.services import import_job_open
from projects.tasks import import_projects_job
from tests import factories
from tests.projects.test_import import _csv, _rows

URL = "/admin/projects/project/import/"


@pytest.fixture
def hoods(district):
    area = factories.AreaFactory(district=district)
    return [factories.NeighborhoodFactory(area=area, name=f"محله پیشرفت {i}") for i in range(3)]


def _queued(actor, district, hoods, rows: int) -> ImportJob:
    data = _csv(_rows(district, hoods, rows))
    return import_job_open(
        actor=actor, city=district.city, filename="big.csv", data=data, sha256="p" * 64, total_rows=rows, keep_file=True
    )


@pytest.mark.django_db(transaction=True)
def test_the_task_writes_its_progress_every_batch_committed_and_reaches_the_total(
    city_admin, district, hoods, settings
):
    settings.PROJECT_IMPORT_PROGRESS_ROWS = 10
    job = _queued(city_admin, district, hoods, 45)
    seen: list[tuple[int, bool]] = []

    def record(execute, sql, params, many, context):
        if sql.startswith('UPDATE "projects_importjob" SET "processed_rows"'):
            seen.append((params[0], connection.in_atomic_block))
        return execute(sql, params, many, context)

    with connection.execute_wrapper(record):
        import_projects_job(job.pk)

    # One cheap UPDATE per batch of rows and one for the rest, each committed at once (no transaction open).
    assert seen == [(10, False), (20, False), (30, False), (40, False), (45, False)]
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.processed_rows == job.total_rows == 45
    assert Project.objects.count() == 45


@pytest.mark.django_db
def test_a_failed_import_keeps_how_far_it_read(city_admin, district, hoods, settings):
    settings.PROJECT_IMPORT_PROGRESS_ROWS = 10
    rows = _rows(district, hoods, 25)
    rows[3][0] = ""
    job = import_job_open(
        actor=city_admin,
        city=district.city,
        filename="p.csv",
        data=_csv(rows),
        sha256="f" * 64,
        total_rows=25,
        keep_file=True,
    )
    import_projects_job(job.pk)
    job.refresh_from_db()
    assert job.status == ImportStatus.FAILED and job.processed_rows == 25  # every row was checked


@pytest.mark.django_db
def test_the_job_page_shows_the_rows_read_in_persian_and_polls_until_done(client_for, city_admin, district):
    job = ImportJob.objects.create(
        city=district.city,
        created_by=city_admin,
        filename="big.csv",
        sha256="a" * 64,
        status=ImportStatus.RUNNING,
        total_rows=5000,
        processed_rows=1200,
    )
    client = client_for(city_admin)
    page = client.get(f"{URL}{job.pk}/").content.decode()
    progress_url = f"{URL}{job.pk}/progress/"
    assert "۱٬۲۰۰ از ۵٬۰۰۰ ردیف" in page
    assert '<progress max="5000" value="1200"' in page
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 2s"' in page and "js/htmx" in page

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=3400)
    part = client.get(progress_url)
    assert part.status_code == 200
    assert "۳٬۴۰۰ از ۵٬۰۰۰ ردیف" in part.content.decode() and "hx-trigger" in part.content.decode()
    assert "<html" not in part.content.decode()  # the status part alone, swapped into the page

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, processed_rows=5000, created_count=5000)
    done = client.get(progress_url).content.decode()
    assert "۵٬۰۰۰ از ۵٬۰۰۰ ردیف" in done and "۵٬۰۰۰ پروژه" in done
    assert "hx-trigger" not in done  # the poll stops with the swap
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert "every 2s" not in page and 'http-equiv="refresh"' not in page  # no poll once finished


@pytest.mark.django_db
def test_the_progress_part_is_for_the_sender_and_superusers_only(client_for, district, city_admin):
    sender = factories.StaffFactory(districts=[district])
    job = ImportJob.objects.create(city=district.city, created_by=sender, filename="p.csv", sha256="b" * 64)
    other_staff = factories.StaffFactory(districts=[district])
    assert client_for(other_staff).get(f"{URL}{job.pk}/progress/").status_code in (302, 403)
    assert client_for(city_admin).get(f"{URL}{job.pk}/progress/").status_code == 200
    assert client_for(factories.UserFactory()).get(f"{URL}{job.pk}/progress/").status_code == 302


@pytest.mark.django_db
def test_the_progress_part_costs_the_same_queries_whatever_the_job(client_for, city_admin, district):
    small = ImportJob.objects.create(
        city=district.city, created_by=city_admin, filename="s.csv", sha256="c" * 64, total_rows=3
    )
    large = ImportJob.objects.create(
        city=district.city,
        created_by=city_admin,
        filename="l.csv",
        sha256="d" * 64,
        status=ImportStatus.FAILED,
        total_rows=9000,
        processed_rows=9000,
        errors=[f"ردیف {i}: خطا" for i in range(500)],
    )
    client = client_for(city_admin)
    counts = []
    for job in (small, large, small):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(f"{URL}{job.pk}/progress/").status_code == 200
        counts.append(len(queries))
    assert counts == [counts[0]] * 3 and counts[0] <= 3, counts  # the user and the job row
