"""Fixtures for the accounts tests: eager Celery, and requests whose SMS go out as a commit would send them."""

from __future__ import annotations

import pytest

from civic_portal import celery_app
from core.persian import to_persian_digits


@pytest.fixture(autouse=True)
def _eager_unless_real_worker(request):
    """Tasks run in-process, unless the test asked for the real worker on the real Redis.

    Without this a test run with REDIS_URL set would publish codes into the shared ``otp`` queue.
    """
    if "celery_worker_process" in request.fixturenames:
        yield
        return
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

    def _enter(client, phone: str, *, persian: bool = True):
        code = sms_files.last_code(phone, timeout=0)
        return client.post("/accounts/otp/verify/", {"code": to_persian_digits(code) if persian else code})

    return _enter
