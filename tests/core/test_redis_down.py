"""Redis stopped: pages and writes still work, /healthz says what is down, and the outbox catches up.

Each test starts its own redis-server (a free port in 6390-6398), points the
cache and the Celery broker of this process at it, and stops it: the shared
Redis of the test run is never touched. Skipped only when REDIS_URL is unset,
like every test that needs a real broker (CI sets it).
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from pathlib import Path
from typing import IO

import pytest
from django.core.cache import cache

from accounts.models import User
from civic_portal import celery_app
from core.cache import reset_breakers
from core.tasks import enqueue, ping
from neighborhoods.models import NeedReport
from ngos.models import Organization
from notifications import tasks
from notifications.events import Channel
from notifications.models import Notification, Status
from notifications.services import is_subscribed
from places.models import ModerationPolicy
from projects.models import Comment, CommentStatus, Support
from tests import factories
from tests.conftest import BASE_DIR, _database_url, celery_worker_command
from tests.factories import PASSWORD
from tests.mail import MailDir

pytestmark = pytest.mark.django_db(transaction=True)

PORTS = range(6390, 6399)


class RedisServer:
    """A redis-server of the test's own, which the test stops, hangs and starts again."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        self.port = 0
        self.proc: subprocess.Popen | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def _spawn(self, port: int) -> bool:
        self.proc = subprocess.Popen(  # noqa: S603
            ["redis-server", "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],  # noqa: S607
            cwd=self.workdir,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                return False  # the port is taken (another test process)
            try:
                info = subprocess.run(  # noqa: S603
                    ["redis-cli", "-p", str(port), "info", "server"],  # noqa: S607
                    capture_output=True,
                    text=True,
                    timeout=2,  # a frozen server left on this port answers nothing
                )
            except subprocess.TimeoutExpired:
                continue
            # Ours, not another test process's server that took the port first.
            if f"process_id:{self.proc.pid}" in info.stdout.split():
                self.port = port
                return True
            time.sleep(0.05)
        self.proc.kill()
        self.proc.wait()
        return False

    def start(self) -> None:
        if self.port:
            assert self._spawn(self.port), f"redis-server could not start again on {self.port}"
            return
        for port in PORTS:
            if self._spawn(port):
                return
        pytest.fail(f"no free port for redis-server in {PORTS.start}-{PORTS.stop - 1}")

    def stop(self) -> None:
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGCONT)  # in case a test left it hung
            self.proc.terminate()
            self.proc.wait(timeout=10)

    def hang(self) -> None:
        """Stopped, not dead: connections open but nothing answers (a frozen host)."""
        self.proc.send_signal(signal.SIGSTOP)

    def resume(self) -> None:
        self.proc.send_signal(signal.SIGCONT)


def _forget_broker_connections() -> None:
    # Celery keeps a connection pool per app; drop it so the next publish uses the current broker URL.
    celery_app._pool = None
    celery_app.amqp._producer_pool = None


@pytest.fixture
def own_redis(settings, tmp_path):
    """The cache and the broker of this process on a Redis of this test's own."""
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: no redis-server expected")
    conf = celery_app.conf
    # Read before overriding the Django settings: Celery's configuration reads through to them.
    previous = (conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER)
    server = RedisServer(tmp_path)
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "core.cache.FailSoftRedisCache",
            "LOCATION": server.url,
            "KEY_PREFIX": "civic",
            "OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1, "CIRCUIT_RESET_SECONDS": 5},
        }
    }
    settings.CELERY_BROKER_URL = server.url
    settings.CELERY_TASK_ALWAYS_EAGER = False
    conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER = server.url, False
    _forget_broker_connections()
    reset_breakers()
    try:
        yield server
    finally:
        server.stop()
        conf.CELERY_BROKER_URL, conf.CELERY_TASK_ALWAYS_EAGER = previous
        _forget_broker_connections()
        reset_breakers()


def start_worker(server: RedisServer, mail: Path, log: IO[str]) -> subprocess.Popen:
    """A real Celery worker on the test's Redis and the test's database, writing emails to files."""
    from django.db import connection

    env = dict(os.environ)
    env.update(
        {
            "REDIS_URL": server.url,
            "CACHE_URL": server.url,
            "DATABASE_URL": _database_url(connection.settings_dict),
            "EMAIL_BACKEND": "filebased",
            "EMAIL_FILE_PATH": str(mail),
        }
    )
    return subprocess.Popen(  # noqa: S603
        celery_worker_command(),
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )


def test_pages_and_writes_work_with_redis_stopped_and_the_outbox_catches_up(
    own_redis, client, settings, citizen, stranger, neighborhood, tmp_path, enter_code
):
    district = neighborhood.area.district
    factories.CityParticipationSettingsFactory(city=district.city, moderation_policy=ModerationPolicy.POST)
    project = factories.ProjectFactory(district=district, neighborhoods=[neighborhood])
    stranger.email = "parent-author@example.org"
    stranger.save(update_fields=["email"])
    parent = factories.CommentFactory(project=project, author=stranger, status=CommentStatus.PUBLISHED)
    trustee = factories.trustee_of(factories.TrusteeBoardFactory(neighborhood=neighborhood)).user
    organization = factories.VerifiedOrganizationFactory()
    assert client.get("/healthz").status_code == 200

    own_redis.stop()
    started = time.monotonic()

    # Visitors: every public page, sign-up and sign-in forms.
    for url in [
        "/",
        "/projects/",
        f"/projects/{project.pk}/",
        "/organizations/",
        f"/organizations/{organization.pk}/",
        "/neighborhoods/",
        f"/neighborhoods/{neighborhood.pk}/",
        "/accounts/login/",
        "/accounts/signup/",
        "/api/v1/projects/",
    ]:
        assert client.get(url).status_code == 200, url

    # Sign-up (rate-limited per address) and sign-in (rate limits and the axes lockout) still work.
    response = client.post(
        "/accounts/signup/",
        {
            "phone": "۰۹۳۵ ۷۷۷ ۶۶۵۵",
            "display_name": "نرگس",
            "email": "",
            "national_code": "",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    # The code that confirms the number cannot wait for the broker: the request sent it itself.
    assert enter_code(client, "09357776655").status_code == 302
    assert User.objects.filter(phone="+989357776655").exists()
    assert client.get("/accounts/profile/").status_code == 200  # the session lives in the database
    client.logout()
    response = client.post("/accounts/login/", {"username": citizen.phone, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/accounts/profile/").status_code == 200

    # A citizen's writes: a reply (which notifies the parent's author), support, follow.
    response = client.post(f"/projects/{project.pk}/comments/", {"text": "پاسخ در نبود ردیس", "parent": parent.pk})
    assert response.status_code == 302
    reply = Comment.objects.get(parent=parent)
    assert reply.status == CommentStatus.PUBLISHED
    assert client.post(f"/projects/{project.pk}/support/").status_code == 302
    assert Support.objects.filter(project=project, user=citizen).exists()
    assert client.post(f"/projects/{project.pk}/follow/").status_code == 302
    assert is_subscribed(user=citizen, target=project)
    assert client.post(f"/api/v1/projects/{project.pk}/support/").status_code == 200  # already supported
    response = client.post(
        "/organizations/register/",
        {
            "city": district.city_id,
            "kind": "ngo",
            "name": "سمن بی‌ردیس",
            "registration_number": "۹۸۷۶",
            "managing_director": "مدیر",
            "summary": "خلاصه",
        },
    )
    assert response.status_code == 302
    assert Organization.objects.filter(registration_number_normalized="9876").exists()

    # A board member files a need.
    client.force_login(trustee, backend="accounts.backends.PhoneOrEmailBackend")
    response = client.post(
        f"/neighborhoods/{neighborhood.pk}/needs/new/",
        {"category": "water", "title": "قطعی آب", "description": "از دیروز آب نداریم"},
    )
    assert response.status_code == 302
    assert NeedReport.objects.filter(reporter=trustee).exists()

    # Health: the database answers, the cache and the broker do not.
    response = client.get("/healthz")
    assert response.status_code == 503
    body = response.json()
    assert body["down"] == ["cache", "broker"]
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["cache"].startswith("down: ")

    # Everything above cost no waiting on Redis (a refused connection, then the breakers).
    assert time.monotonic() - started < 30

    # The reply's email waits in the outbox; nothing was lost.
    row = Notification.objects.get(recipient=stranger, channel=Channel.EMAIL, event="comment_replied")
    assert (row.status, row.attempts) == (Status.PENDING, 0)

    # Redis is back: health recovers, the sweep publishes, a real worker sends the email.
    own_redis.start()
    assert client.get("/healthz").status_code == 200
    mail = tmp_path / "mail"
    mail.mkdir()
    log = (tmp_path / "worker.log").open("w")
    worker = start_worker(own_redis, mail, log)
    try:
        settings.NOTIFICATIONS_SWEEP_AFTER_SECONDS = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            row.refresh_from_db()
            if row.status == Status.SENT:
                break
            tasks.sweep()  # what beat runs every minute; duplicates are harmless (the lease)
            time.sleep(1)
    finally:
        worker.terminate()
        worker.wait(timeout=20)
        log.close()
    row.refresh_from_db()
    assert row.status == Status.SENT, (tmp_path / "worker.log").read_text()[-3000:]
    assert row.attempts == 1
    [message] = MailDir(mail).messages()
    assert message["To"] == "parent-author@example.org"
    assert "پاسخ در نبود ردیس" in message.get_body(preferencelist=("plain",)).get_content()


def test_a_hung_redis_costs_one_timeout_then_the_breakers_skip_it(own_redis, client):
    """A frozen Redis accepts connections and never answers: without the breakers every call waits 1-2 s."""
    cache.set("greeting", "salam")
    assert enqueue(ping, "k", "v") is True
    own_redis.hang()
    try:
        started = time.monotonic()
        for _ in range(20):
            assert cache.get("greeting") is None  # a miss, not an error
            cache.set("greeting", "again")
        with pytest.raises(ValueError):
            cache.incr("counter")  # what Django raises for a missing key: callers already handle it
        assert enqueue(ping, "k", "v") is False
        assert enqueue(ping, "k", "v") is False
        elapsed = time.monotonic() - started
        # One cache timeout (1 s) and one publish timeout (about 2 s), not 40 + 2 of them.
        assert elapsed < 6, elapsed
        assert client.get("/").status_code == 200
        # The health check asks Redis itself (past the breakers) and still answers within seconds.
        started = time.monotonic()
        response = client.get("/healthz")
        assert response.status_code == 503
        assert response.json()["down"] == ["cache", "broker"]
        assert time.monotonic() - started < 5
    finally:
        own_redis.resume()
    # Once Redis answers, the breaker lets calls through again after its pause, and the writes it
    # dropped are not read back stale from a Redis that kept its data: their keys are deleted.
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and cache.breaker.is_open:
        cache.get("probe")
        time.sleep(0.5)
    assert not cache.breaker.is_open
    assert cache.get("greeting") is None  # not the "salam" from before the outage
    cache.set("greeting", "fresh")
    assert cache.get("greeting") == "fresh"
