"""Codes against the real things: PostgreSQL row locks under 20 threads, a Celery worker on the ``otp`` queue,
and a code that shows up nowhere but in its SMS (logs, pages, API answers, database, notifications)."""

from __future__ import annotations

import logging
import threading
import time

import pytest
from django.apps import apps
from django.db import connection
from rest_framework.test import APIClient

from accounts.models import ApiToken, OneTimeCode, User
from civic_portal import celery_app
from notifications.models import Notification
from tests.factories import PASSWORD, StaffFactory

MOBILE = "09121112233"
PHONE = "+989121112233"


def postgres_only() -> None:
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks and concurrent connections")


@pytest.mark.django_db(transaction=True)
def test_twenty_simultaneous_tries_of_one_code_give_one_token(sms_files):
    postgres_only()
    assert APIClient().post("/api/v1/auth/otp/", {"mobile": MOBILE}, format="json").status_code == 202
    code = sms_files.last_code(PHONE, timeout=5)
    start = threading.Barrier(20)
    statuses: list[int] = []
    lock = threading.Lock()

    def attempt(index: int) -> None:
        client = APIClient(REMOTE_ADDR=f"10.0.0.{index + 1}")
        try:
            start.wait(timeout=30)
            response = client.post("/api/v1/auth/otp/verify/", {"mobile": MOBILE, "code": code}, format="json")
            with lock:
                statuses.append(response.status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(statuses) == [200] + [400] * 19
    assert ApiToken.objects.count() == 1
    assert User.objects.filter(phone=PHONE).count() == 1
    assert OneTimeCode.objects.get().used_at is not None


def test_a_code_is_delivered_by_a_real_worker_on_its_queue(celery_worker_process, settings, sms_files, tmp_path):
    """The task leaves on the ``otp`` route for the queue in OTP_QUEUE; here a worker of this test consumes it."""
    name = str(connection.settings_dict["NAME"])
    if connection.vendor == "sqlite" and "memory" in name:
        pytest.skip("the test database is in memory: another process cannot open it")
    assert settings.CELERY_TASK_ROUTES["accounts.tasks.send_code"] == {"queue": "otp"}
    assert "otp" in {queue.name for queue in celery_app.conf.task_queues}
    settings.OTP_QUEUE = celery_worker_process
    assert celery_app.conf.task_always_eager is False

    client = APIClient()
    assert client.post("/api/v1/auth/otp/", {"mobile": MOBILE}, format="json").status_code == 202
    [sms] = sms_files.wait_for(PHONE, 1, timeout=45)
    assert sms.to == PHONE
    assert sms.text.startswith("کد ورود شما به درگاه مشارکت شهروندی: ")
    assert "این کد را به کسی ندهید." in sms.text
    response = client.post("/api/v1/auth/otp/verify/", {"mobile": MOBILE, "code": sms.code}, format="json")
    assert response.status_code == 200

    # The worker said it ran the task, and not what it sent.
    deadline = time.monotonic() + 10
    log = tmp_path / "worker.log"
    while time.monotonic() < deadline and "succeeded" not in log.read_text():
        time.sleep(0.2)
    text = log.read_text()
    assert "accounts.tasks.send_code" in text and "succeeded" in text
    assert sms.code not in text and PHONE not in text


@pytest.mark.django_db
def test_the_code_is_in_the_sms_and_nowhere_else(client, api_client, committed, sms_files, caplog):
    """A whole run through every door that sends or takes a code, with every log line captured."""
    caplog.set_level(logging.DEBUG)
    answers: list[str] = []

    def keep(response):
        answers.append(response.content.decode())
        return response

    # API sign-in: ask, a wrong try, the right code.
    keep(committed(api_client.post, "/api/v1/auth/otp/", {"mobile": MOBILE}, format="json"))
    [sms] = sms_files.to(PHONE)
    assert sms.to == PHONE and sms.code in sms.text and "کد ورود شما" in sms.text
    code = sms.code
    wrong = f"{(int(code) + 1) % 10**6:06d}"
    keep(api_client.post("/api/v1/auth/otp/verify/", {"mobile": MOBILE, "code": wrong}, format="json"))
    keep(api_client.post("/api/v1/auth/otp/verify/", {"mobile": MOBILE, "code": code}, format="json"))
    keep(api_client.post("/api/v1/auth/otp/verify/", {"mobile": MOBILE, "code": code}, format="json"))

    # Staff through the pages: password, code page, a wrong try, the right one, the pages after.
    staff = StaffFactory(phone="+989351112233")
    keep(committed(client.post, "/accounts/login/", {"username": staff.phone, "password": PASSWORD}))
    staff_code = sms_files.last_code(staff.phone, timeout=0)
    keep(client.get("/accounts/otp/verify/"))
    keep(client.post("/accounts/otp/verify/", {"code": f"{(int(staff_code) + 1) % 10**6:06d}"}))
    keep(client.post("/accounts/otp/verify/", {"code": staff_code}, follow=True))
    keep(client.get("/accounts/profile/"))
    keep(client.get("/notifications/"))

    codes = {code, staff_code}
    for text in answers:
        assert not [part for part in codes if part in text]
    lines = caplog.text + "".join(str(record.args) for record in caplog.records)
    assert caplog.records, "nothing was logged: the check would prove nothing"
    leaked = [line for line in lines.splitlines() if any(part in line for part in codes)]
    assert not leaked
    assert not Notification.objects.filter(body__regex="|".join(codes)).exists()
    for model in apps.get_models():
        fields = [f.attname for f in model._meta.concrete_fields]
        for row in model._default_manager.values_list(*fields):
            for value in row:
                assert not (isinstance(value, str) and any(part in value for part in codes)), (model, value)
    # What is stored is a keyed digest, not the code.
    assert all(len(row.digest) == 64 for row in OneTimeCode.objects.all())
