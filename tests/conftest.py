from __future__ import annotations

import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.core.cache import cache

from core.cache import reset_breakers
from tests import factories

BASE_DIR = Path(__file__).resolve().parent.parent

# Chromium fixtures for tests/e2e and tests/security: one browser per worker.
pytest_plugins = ["tests.browser"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Rate limits, lockouts and a tripped cache breaker must not leak from one test into the next."""
    reset_breakers()
    cache.clear()
    yield
    cache.clear()
    reset_breakers()


@pytest.fixture(autouse=True)
def _persian(settings):
    settings.LANGUAGE_CODE = "fa"


@pytest.fixture(autouse=True)
def sms_files(settings, tmp_path_factory, monkeypatch):
    """Every SMS of a test lands as a file in a folder of its own (also from a worker started in the test)."""
    from tests.sms import SmsDir

    path = tmp_path_factory.mktemp("sms")
    settings.SMS_BACKEND = "file"
    settings.SMS_FILE_PATH = str(path)
    monkeypatch.setenv("SMS_BACKEND", "file")
    monkeypatch.setenv("SMS_FILE_PATH", str(path))
    return SmsDir(path)


@pytest.fixture
def district(db):
    return factories.DistrictFactory()


@pytest.fixture
def other_district(db, district):
    return factories.DistrictFactory(city=district.city)


@pytest.fixture
def neighborhood(district):
    return factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))


# --- personas ---------------------------------------------------------------
@pytest.fixture
def citizen(db, neighborhood):
    return factories.UserFactory(home_neighborhood=neighborhood)


@pytest.fixture
def stranger(db):
    return factories.UserFactory()


@pytest.fixture
def district_staff(db, district):
    return factories.StaffFactory(districts=[district])


@pytest.fixture
def other_district_staff(db, other_district):
    return factories.StaffFactory(districts=[other_district])


@pytest.fixture
def city_admin(db):
    return factories.CityAdminFactory()


@pytest.fixture
def client_for(client):
    """Log ``client`` in as a user: ``client_for(citizen)``."""

    def _login(user):
        client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
        return client

    return _login


@pytest.fixture
def eager_tasks(request):
    """Tasks run in-process, unless the test asked for the real worker on the real Redis."""
    if "celery_worker_process" in request.fixturenames:
        yield
        return
    from civic_portal import celery_app

    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``committed(client.post, url, data)``: the request, then what it left for after its commit (the SMS)."""

    def _call(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return _call


@pytest.fixture
def enter_code(sms_files):
    """Type the newest code sent to ``phone`` on the code page, in Persian digits as many people do."""
    from core.persian import to_persian_digits

    def _enter(client, phone: str, *, persian: bool = True):
        code = sms_files.last_code(phone, timeout=0)
        return client.post("/accounts/otp/verify/", {"code": to_persian_digits(code) if persian else code})

    return _enter


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


# --- a real Celery worker -----------------------------------------------------
def _database_url(settings_dict: dict) -> str:
    engine = settings_dict["ENGINE"]
    if "postgresql" in engine:
        user = settings_dict.get("USER") or "postgres"
        host = settings_dict.get("HOST") or "127.0.0.1"
        port = settings_dict.get("PORT") or 5432
        return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"
    return f"sqlite:///{settings_dict['NAME']}"


def celery_worker_command(*extra: str) -> list[str]:
    """A one-process ``celery worker`` that starts quickly and talks to nobody but its broker."""
    return [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "civic_portal",
        "worker",
        "--pool=solo",
        "--concurrency=1",
        "--loglevel=INFO",
        "--without-heartbeat",
        "--without-gossip",
        "--without-mingle",
        *extra,
    ]


@pytest.fixture
def celery_worker_process(transactional_db, tmp_path):
    """A real ``celery worker`` on the real Redis, consuming a queue of its own (its ``NOTIFICATIONS_QUEUE`` too).

    It connects to this test's database, so rows a test commits are visible
    to the tasks it runs. Skipped only when REDIS_URL is unset (CI sets it).
    """
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no broker for a real worker")
    from django.db import connection

    queue = f"test-{uuid.uuid4().hex[:12]}"
    env = dict(os.environ)
    env["DATABASE_URL"] = _database_url(connection.settings_dict)
    env["NOTIFICATIONS_QUEUE"] = queue  # what its own tasks deliver comes back to it
    log = (tmp_path / "worker.log").open("w")
    proc = subprocess.Popen(  # noqa: S603
        celery_worker_command("-Q", queue),
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        yield queue
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()
        # Shown by pytest only when the test failed.
        print((tmp_path / "worker.log").read_text()[-4000:])


# --- browser screenshots (collected by tests/e2e) ---------------------------
def pytest_terminal_summary(terminalreporter):
    shots = []
    for report in terminalreporter.stats.get("failed", []):
        shots += [value for key, value in report.user_properties if key == "screenshot"]
    if shots:
        terminalreporter.section("browser screenshots of failed tests")
        for shot in shots:
            terminalreporter.write_line(shot)
    fuzz = [
        value
        for reports in terminalreporter.stats.values()
        for report in reports
        for key, value in getattr(report, "user_properties", ())
        if key == "schema_fuzz" and value
    ]
    if fuzz:
        from tests.api.fuzz_summary import summary_lines

        terminalreporter.section("API schema fuzzing: status codes per operation and persona")
        for line in summary_lines(fuzz):
            terminalreporter.write_line(line)
