"""/metrics: only for the scraper's token, in Prometheus text format, counting what the portal does."""

from __future__ import annotations

import os
import runpy
import subprocess
import sys
from pathlib import Path

import pytest
from celery import shared_task
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core import ratelimit
from tests.metrics import TOKEN, scrape, value

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def token(settings):
    settings.METRICS_TOKEN = TOKEN


@shared_task(name="tests.metrics.explode")
def explode() -> None:
    raise RuntimeError("boom")


@shared_task(name="tests.metrics.fine")
def fine() -> str:
    return "ok"


@pytest.mark.django_db
def test_no_token_configured_means_there_is_no_such_page(client, settings):
    settings.METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


@pytest.mark.django_db
@pytest.mark.parametrize("header", [None, "Bearer wrong", f"Basic {TOKEN}", f"Bearer {TOKEN}x", TOKEN])
def test_a_missing_or_wrong_token_is_refused(client, token, header):
    extra = {"HTTP_AUTHORIZATION": header} if header is not None else {}
    response = client.get("/metrics", **extra)
    assert response.status_code == 403
    assert b"civic_" not in response.content


@pytest.mark.django_db
def test_the_right_token_gets_prometheus_text_without_a_session(client, token, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):  # the outbox backlog, one aggregate
        response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; version=0.0.4; charset=utf-8"
    assert "no-cache" in response["Cache-Control"]
    assert "Set-Cookie" not in response.headers
    text = response.content.decode()
    assert "# TYPE civic_http_request_duration_seconds histogram" in text
    assert "# TYPE civic_notifications_pending gauge" in text


@pytest.mark.django_db
def test_a_page_request_shows_up_under_its_view_name_with_its_queries(client, token):
    before = scrape(client)
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    home_queries = len(queries)  # read now: the next request empties the log it reads from
    assert home_queries > 0
    client.get("/no-such-page/at-all/")
    after = scrape(client)
    name = "civic_http_request_duration_seconds_count"
    assert value(after, name, view="home", status="2xx") == value(before, name, view="home", status="2xx") + 1
    assert value(after, name, view="unmatched", status="4xx") >= 1
    assert "/no-such-page" not in after  # paths never become labels
    queries_sum = "civic_http_request_db_queries_sum"
    assert value(after, queries_sum, view="home") - value(before, queries_sum, view="home") == home_queries


@pytest.mark.django_db
def test_task_outcomes_are_counted(client, token, eager_tasks):
    before = scrape(client)
    explode.apply()
    fine.apply()
    after = scrape(client)
    name = "civic_celery_tasks_total"
    failed = {"task": "tests.metrics.explode", "state": "failed"}
    succeeded = {"task": "tests.metrics.fine", "state": "succeeded"}
    assert value(after, name, **failed) == value(before, name, **failed) + 1
    assert value(after, name, **succeeded) == value(before, name, **succeeded) + 1


@pytest.mark.django_db
def test_rate_limit_refusals_are_counted_by_scope(client, token, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "signup": (1, 60)}
    before = value(scrape(client), "civic_rate_limit_refusals_total", scope="signup")
    assert ratelimit.hit("signup", "ip:203.0.113.9")
    assert not ratelimit.hit("signup", "ip:203.0.113.9")
    assert value(scrape(client), "civic_rate_limit_refusals_total", scope="signup") == before + 1


def _count_in_another_process(directory: Path) -> int:
    code = "from core import metrics; metrics.count_rate_limited('signup')"
    env = {**os.environ, "PROMETHEUS_MULTIPROC_DIR": str(directory)}
    process = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, check=True, timeout=60)  # noqa: S603
    return process.returncode


@pytest.mark.django_db
def test_multiprocess_mode_adds_up_every_process(client, token, settings, tmp_path, monkeypatch):
    web, worker = tmp_path / "web", tmp_path / "worker"
    web.mkdir(), worker.mkdir()
    _count_in_another_process(web)
    _count_in_another_process(web)
    _count_in_another_process(worker)
    assert len(list(web.glob("counter_*.db"))) == 2  # one file per process
    monkeypatch.setenv("PROMETHEUS_MULTIPROC_DIR", str(web))
    text = scrape(client)
    assert value(text, "civic_rate_limit_refusals_total", scope="signup") == 2
    assert value(text, "civic_notifications_pending") == 0  # the collectors are read in this mode too
    # The Celery workers' directory on the same host is added in.
    settings.METRICS_WORKER_DIRS = [str(worker)]
    assert value(scrape(client), "civic_rate_limit_refusals_total", scope="signup") == 3
    # gunicorn's start drops what its processes, no longer running, left behind.
    hooks = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    hooks["on_starting"](None)
    assert list(web.glob("*.db")) == []
    assert value(scrape(client), "civic_rate_limit_refusals_total", scope="signup") == 1


@pytest.mark.django_db
def test_one_time_code_sends_and_page_cache_hits_are_counted(client, token, eager_tasks):
    from accounts.tasks import send_code

    before = scrape(client)
    send_code.apply(args=("09121234567", "کد ورود: ۱۲۳۴۵۶", "otp-test"))
    assert client.get("/")["X-Page-Cache"] == "miss"
    assert client.get("/")["X-Page-Cache"] == "hit"
    after = scrape(client)
    for name, labels in (
        ("civic_otp_sends_total", {"outcome": "sent"}),
        ("civic_page_cache_requests_total", {"result": "miss"}),
        ("civic_page_cache_requests_total", {"result": "hit"}),
    ):
        assert value(after, name, **labels) == value(before, name, **labels) + 1, (name, labels)
