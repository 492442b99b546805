"""Fixtures for the notifications tests: eager Celery, email files, a local SMS gateway."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from civic_portal import celery_app
from tests import factories
from tests.mail import mail_to_files


@pytest.fixture(autouse=True)
def _eager_unless_real_worker(request, settings):
    """Tasks run in-process, unless the test asked for the real worker on the real Redis.

    Without this a test run with REDIS_URL set would publish into the shared default queue.
    """
    if "celery_worker_process" in request.fixturenames:
        yield
        return
    previous = celery_app.conf.CELERY_TASK_ALWAYS_EAGER
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = True
    yield
    celery_app.conf.CELERY_TASK_ALWAYS_EAGER = previous


@pytest.fixture
def recipient(db, neighborhood):
    return factories.UserFactory(email="reader@example.org", home_neighborhood=neighborhood)


@pytest.fixture
def mail_dir(tmp_path, settings, monkeypatch):
    """Email to files: here through settings, in a worker started after this through the environment."""
    return mail_to_files(tmp_path, settings, monkeypatch)


# --- a local SMS gateway --------------------------------------------------------------------
class _GatewayHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the http.server API
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        gateway = self.server.gateway
        with gateway.lock:
            index = len(gateway.requests)
            gateway.requests.append({"headers": dict(self.headers), "json": json.loads(body)})
            step = gateway.plan[min(index, len(gateway.plan) - 1)]
        status, delay = (step, 0) if isinstance(step, int) else step
        if delay:
            time.sleep(delay)
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.end_headers()
            self.wfile.write(b'{"ok": true}' if status < 300 else b'{"error": "no"}')
            if status < 300 and not delay:  # a late answer the client no longer waits for is no delivery
                with gateway.lock:
                    gateway.accepted.append(gateway.requests[index]["json"])
        except OSError:
            pass  # the client gave up (the timeout test)

    def log_message(self, format, *args):  # noqa: A002
        pass


class SmsGateway:
    """Answers each POST with the next step of ``plan``: a status, or (status, seconds to wait)."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.plan: list = [200]
        self.requests: list[dict] = []
        self.accepted: list[dict] = []
        self.server = ThreadingHTTPServer(("127.0.0.1", 0), _GatewayHandler)
        self.server.daemon_threads = True
        self.server.gateway = self
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/send"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def accepted_messages(self) -> list[dict]:
        with self.lock:
            return list(self.accepted)


@pytest.fixture
def sms_gateway(settings):
    gateway = SmsGateway()
    gateway.thread.start()
    settings.SMS_BACKEND = "http"
    settings.SMS_GATEWAY_URL = gateway.url
    settings.SMS_GATEWAY_KEY = "test-gateway-key"
    settings.SMS_GATEWAY_TIMEOUT = 2
    yield gateway
    gateway.server.shutdown()
    gateway.server.server_close()
    gateway.thread.join(timeout=5)
