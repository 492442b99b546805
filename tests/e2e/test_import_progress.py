"""Staff watch a queued import in the admin: the rows read move on by themselves, under the CSP, and stop when done."""

from __future__ import annotations

import re
import time

import pytest

from projects.models import ImportJob, ImportStatus
from tests import factories
from tests.browser import enter_sms_code
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sms_delivery")]


def test_the_job_page_follows_the_task_without_reloading_and_stops_polling_when_done(page):
    admin = factories.CityAdminFactory()
    city = factories.CityFactory()
    job = ImportJob.objects.create(
        city=city,
        created_by=admin,
        filename="big.csv",
        sha256="e" * 64,
        status=ImportStatus.RUNNING,
        total_rows=5000,
        processed_rows=1200,
    )
    refused: list[str] = []
    page.on("console", lambda message: refused.append(message.text) if "Refused to" in message.text else None)
    polls: list[str] = []
    page.on("request", lambda request: polls.append(request.url) if "/progress/" in request.url else None)

    page.goto("/admin/login/")
    page.fill("input[name=username]", admin.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/accounts/otp/verify/")
    enter_sms_code(page, admin.phone)
    page.wait_for_url("**/admin/")
    page.goto(f"/admin/projects/project/import/{job.pk}/")
    status = page.locator("#import-job-status")
    assert "۱٬۲۰۰ از ۵٬۰۰۰ ردیف" in status.inner_text()
    page.evaluate("window.sameDocument = true")

    ImportJob.objects.filter(pk=job.pk).update(processed_rows=3600)
    page.get_by_text("۳٬۶۰۰ از ۵٬۰۰۰ ردیف").wait_for()
    assert page.locator("progress").get_attribute("value") == "3600"

    ImportJob.objects.filter(pk=job.pk).update(status=ImportStatus.DONE, processed_rows=5000, created_count=5000)
    page.get_by_text(re.compile("۵٬۰۰۰ پروژه")).wait_for()
    assert page.evaluate("window.sameDocument") is True  # swapped in place, never reloaded
    after_done = len(polls)
    time.sleep(4.5)  # two poll intervals
    assert len(polls) == after_done
    assert refused == [] and page.js_errors == []
