"""The same projects file uploaded several times at once is imported once, on real PostgreSQL with threads.

The first check (``earlier_import``) cannot see an upload still in its
transaction; the conditional unique constraint on ``ImportJob`` lets one live
job in and the others are answered exactly as a recognised repeat. A failed
import never blocks a new attempt.
"""

from __future__ import annotations

import hashlib
import threading
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.test import Client

from projects.importing import submit_import
from projects.models import ImportJob, ImportStatus, Project
from projects.tasks import import_projects_job
from tests import factories
from tests.projects.test_import import _csv, _rows

pytestmark = pytest.mark.django_db(transaction=True)

UPLOADS = 8
ROWS = 30
URL = "/admin/projects/project/import/"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: SQLite serialises writers, so there is no race to test")


@pytest.fixture(autouse=True)
def _eager():
    """A queued import's task runs in the thread that queued it, once its transaction has committed."""
    from civic_portal import celery_app

    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture
def hoods(district):
    area = factories.AreaFactory(district=district)
    return [factories.NeighborhoodFactory(area=area, name=f"محله هم‌زمان {i}") for i in range(3)]


def _together(calls) -> list:
    barrier = threading.Barrier(len(calls))
    results: list = [None] * len(calls)
    errors: list[BaseException] = []

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def _submit(actor, district, data: bytes, *, background: bool):
    def call():
        return submit_import(
            actor=actor, city=district.city, data=data, filename="p.csv", max_rows=1000, background=background
        )

    return call


def _repeat_message(actor, district, data: bytes) -> list[str]:
    """What one more upload of the file gets now, recognised by the first check."""
    again = _submit(actor, district, data, background=False)()
    assert again.job is None and again.result.created == 0
    return [str(error) for error in again.result.errors]


@pytest.mark.parametrize("background", [False, True], ids=["imported at once", "queued for the task"])
def test_simultaneous_uploads_of_one_file_make_one_job_and_the_projects_once(
    city_admin, district, hoods, settings, tmp_path, background
):
    settings.PROJECT_IMPORT_ASYNC_ROWS = 10
    settings.PRIVATE_MEDIA_ROOT = tmp_path
    data = _csv(_rows(district, hoods, ROWS))

    submissions = _together([_submit(city_admin, district, data, background=background) for _ in range(UPLOADS)])

    accepted = [s for s in submissions if not s.result.errors]
    refused = [s for s in submissions if s.result.errors]
    assert len(accepted) == 1 and len(refused) == UPLOADS - 1
    if background:
        assert len([path for path in tmp_path.rglob("*") if path.is_file()]) == 1  # the refused wrote no file
        import_projects_job(accepted[0].job.pk)  # what the admin page enqueues
    job = ImportJob.objects.get()
    assert job.status == ImportStatus.DONE and job.created_count == ROWS
    assert Project.objects.count() == ROWS
    for submission in refused:
        assert [str(error) for error in submission.result.errors] == _repeat_message(city_admin, district, data)
        assert submission.job is None and submission.result.created == 0


def test_an_upload_that_passed_the_first_check_is_refused_by_the_constraint(city_admin, district, hoods):
    """The second upload checks while the first is still in its transaction, so only the constraint can stop it."""
    data = _csv(_rows(district, hoods, 5))
    first_inside, second_checked, results = threading.Event(), threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                results["first"] = _submit(city_admin, district, data, background=False)()
                first_inside.set()
                second_checked.wait(timeout=10)
                time.sleep(0.5)  # the second upload is now waiting on this job's row
        finally:
            connection.close()

    def second():
        try:
            first_inside.wait(timeout=10)
            assert not ImportJob.objects.exists()  # the first check cannot see it yet
            second_checked.set()
            results["second"] = _submit(city_admin, district, data, background=False)()
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert ImportJob.objects.count() == 1
    assert results["first"].result.created == 5
    assert [str(error) for error in results["second"].result.errors] == _repeat_message(city_admin, district, data)
    assert Project.objects.count() == 5


def test_the_admin_page_answers_every_simultaneous_repeat_with_the_earlier_import(city_admin, district, hoods):
    data = _csv(_rows(district, hoods, ROWS))

    def post():
        client = Client()
        client.force_login(city_admin, backend="accounts.backends.PhoneOrEmailBackend")
        response = client.post(URL, {"city": district.city.pk, "file": SimpleUploadedFile("p.csv", data)})
        return response.status_code, response.content.decode()

    answers = _together([post for _ in range(UPLOADS)])

    assert sorted(status for status, _page in answers) == [302] + [400] * (UPLOADS - 1)
    repeat = _repeat_message(city_admin, district, data)
    for status, page in answers:
        if status == 400:
            assert repeat[0] in page
    assert Project.objects.count() == ROWS


def test_a_failed_import_never_blocks_a_new_attempt(city_admin, district, hoods):
    data = _csv(_rows(district, hoods, ROWS))
    sha256 = hashlib.sha256(data).hexdigest()
    for _ in range(2):  # failed jobs of one file may pile up
        ImportJob.objects.create(city=district.city, filename="p.csv", sha256=sha256, status=ImportStatus.FAILED)

    submissions = _together([_submit(city_admin, district, data, background=False) for _ in range(UPLOADS)])

    assert sum(1 for s in submissions if s.result.created == ROWS) == 1
    assert ImportJob.objects.exclude(status=ImportStatus.FAILED).count() == 1
    assert Project.objects.count() == ROWS
    with pytest.raises(IntegrityError), transaction.atomic():
        ImportJob.objects.create(city=district.city, filename="again.csv", sha256=sha256)
    other_city = factories.CityFactory()
    ImportJob.objects.create(city=other_city, filename="p.csv", sha256=sha256)  # another city may import it
