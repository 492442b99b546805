"""Large imports run on the ``imports`` queue with a page staff can watch; the same file is never imported twice."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command

from core.jalali import jalali_date_string
from projects.models import ImportJob, ImportStatus, Project
from tests import factories
from tests.projects.test_import import _csv, _rows

pytestmark = pytest.mark.django_db
URL = "/admin/projects/project/import/"


@pytest.fixture(autouse=True)
def _eager():
    """The task runs in-process, also where REDIS_URL is set (nothing consumes the imports queue in the suite)."""
    from civic_portal import celery_app

    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture
def hoods(district):
    area = factories.AreaFactory(district=district)
    return [factories.NeighborhoodFactory(area=area, name=f"محله آزمون {i}") for i in range(3)]


def _post(client, district, data: bytes, name: str = "p.csv"):
    return client.post(URL, {"city": district.city.pk, "file": SimpleUploadedFile(name, data)})


def test_the_same_file_twice_is_refused_naming_the_earlier_import(client_for, city_admin, district, hoods, tmp_path):
    client = client_for(city_admin)
    data = _csv(_rows(district, hoods, 4))
    assert _post(client, district, data).status_code == 302
    assert Project.objects.count() == 4
    earlier = ImportJob.objects.get()
    response = _post(client, district, data, name="renamed.csv")
    page = response.content.decode()
    assert response.status_code == 400
    assert "پیش‌تر" in page and jalali_date_string(earlier.created_at, with_time=True) in page and "p.csv" in page
    assert Project.objects.count() == 4
    path = tmp_path / "again.csv"
    path.write_bytes(data)
    with pytest.raises(CommandError):
        call_command("import_projects", str(path), "--city", district.city.slug)
    assert Project.objects.count() == 4


def test_a_refused_file_may_be_sent_again(client_for, city_admin, district, hoods):
    client = client_for(city_admin)
    rows = _rows(district, hoods, 3)
    rows[1][4] = "محله ناموجود"
    data = _csv(rows)
    assert _post(client, district, data).status_code == 400
    page = _post(client, district, data).content.decode()
    assert "محله ناموجود" in page and "پیش‌تر" not in page


def test_a_large_file_is_imported_by_the_task_and_watched(
    client_for, city_admin, district, hoods, settings, django_capture_on_commit_callbacks
):
    settings.PROJECT_IMPORT_ASYNC_ROWS = 10
    client = client_for(city_admin)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = _post(client, district, _csv(_rows(district, hoods, 25)))
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"{URL}{job.pk}/"
    assert job.status == ImportStatus.QUEUED and job.total_rows == 25 and job.file and job.created_by == city_admin
    assert not Project.objects.exists()
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' in page and "۲۵" in page
    for callback in callbacks:  # the publish after commit; Celery runs it eagerly here
        callback()
    job.refresh_from_db()
    assert job.status == ImportStatus.DONE and job.created_count == 25 and not job.file
    assert Project.objects.count() == 25
    page = client.get(f"{URL}{job.pk}/").content.decode()
    assert 'http-equiv="refresh"' not in page and "۲۵ پروژه" in page
    assert client_for(factories.UserFactory(is_staff=True)).get(f"{URL}{job.pk}/").status_code in (302, 403)


def test_a_large_file_with_errors_keeps_them_and_imports_nothing(
    client_for, city_admin, district, hoods, settings, django_capture_on_commit_callbacks
):
    settings.PROJECT_IMPORT_ASYNC_ROWS = 10
    rows = _rows(district, hoods, 25)
    rows[20][0] = ""
    client = client_for(city_admin)
    with django_capture_on_commit_callbacks(execute=True):
        _post(client, district, _csv(rows))
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.FAILED and job.created_count == 0 and len(job.errors) == 1
    assert "ردیف ۲۲" in client.get(f"{URL}{job.pk}/").content.decode()
    assert not Project.objects.exists()


def test_the_task_takes_a_job_once(district, hoods, city_admin):
    from projects.services import import_job_open
    from projects.tasks import import_projects_job

    data = _csv(_rows(district, hoods, 3))
    job = import_job_open(
        actor=city_admin, city=district.city, filename="p.csv", data=data, sha256="x" * 64, total_rows=3, keep_file=True
    )
    import_projects_job(job.pk)
    import_projects_job(job.pk)  # a redelivered message finds the job finished and does nothing
    assert Project.objects.count() == 3
    import_projects_job(job.pk + 100)  # a job that is gone


def test_an_external_id_already_on_the_portal_is_refused(district, hoods, city_admin):
    from projects.importing import submit_import

    def upload(rows, ids):
        header = ["title", "neighborhood", "external_id"]
        data = _csv([[row[0], row[4], external] for row, external in zip(rows, ids, strict=True)], header=header)
        return submit_import(
            actor=city_admin, city=district.city, data=data, filename="p.csv", max_rows=100, background=False
        ).result

    assert upload(_rows(district, hoods, 2), ["T-1", "T-2"]).created == 2
    rows = _rows(district, hoods, 3)
    rows[0][0] = "عنوان تازه"  # a different file, the same project
    again = upload(rows, ["T-9", "T-1", "T-9"])
    messages = [str(error) for error in again.errors]
    assert len(messages) == 2
    assert "ردیف ۳" in messages[0] and "T-1" in messages[0] and "پروژه شماره 0" in messages[0]
    assert "ردیف ۴" in messages[1] and "ردیف ۲" in messages[1]
    assert Project.objects.count() == 2
