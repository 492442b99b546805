"""gunicorn's own answers to malformed requests are Persian: the API's JSON error under /api/, else a short RTL page.

A real gunicorn runs with gunicorn.conf.py and production settings; each
kind of error gunicorn answers itself (the ``isinstance`` branches of its
``Worker.handle_error``, read from the installed source so a new kind fails
here until it is listed) is sent over a raw socket, once to an API address
and once to a page.
"""

from __future__ import annotations

import ast
import inspect
import json
import os
import re
import socket
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from gunicorn.config import Config
from gunicorn.glogging import Logger
from gunicorn.workers.base import Worker

from core.gunicorn import RequestParser, ThreadWorker

BASE_DIR = Path(__file__).resolve().parents[2]
PERSIAN = re.compile(r"[\u0600-\u06FF]{3,}")
API = "/api/v1/projects/?q=1"
PAGE = "/?q=1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@dataclass
class Server:
    port: int
    log: Path

    def send(self, data: bytes, source: str = "127.0.0.1") -> tuple[int, dict[str, str], bytes]:
        """Send raw bytes, read the answer to the end; (status, headers by lower-case name, body)."""
        with socket.create_connection(("127.0.0.1", self.port), timeout=15, source_address=(source, 0)) as conn:
            conn.sendall(data)
            answer = b""
            while chunk := conn.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        status_line, *lines = head.decode("latin-1").split("\r\n")
        headers = {name.strip().lower(): value.strip() for name, _, value in (line.partition(":") for line in lines)}
        return int(status_line.split(" ")[1]), headers, body


def _start(tmp: Path, *flags: str):
    port = _free_port()
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL", "CACHE_URL", "HTTPS"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civic_portal.settings",
            "DEBUG": "false",
            "HTTPS": "false",
            "SECRET_KEY": "gunicorn-error-test-secret-key-not-for-production-0123456789",
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_MANIFEST": "false",
            "VAR_DIR": str(tmp),
            "GUNICORN_BIND": f"127.0.0.1:{port}",
            "GUNICORN_WORKERS": "1",
            "GUNICORN_THREADS": "2",
        }
    )
    env.pop("GUNICORN_WORKER_CLASS", None)
    log = tmp / "gunicorn.log"
    with log.open("w") as out:
        proc = subprocess.Popen(  # noqa: S603
            [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", *flags],
            cwd=BASE_DIR,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    deadline = time.monotonic() + 60
    while "Booting worker" not in log.read_text():
        assert proc.poll() is None, log.read_text()[-3000:]
        assert time.monotonic() < deadline, log.read_text()[-3000:]
        time.sleep(0.1)
    return proc, Server(port, log)


def _stop(proc) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


@pytest.fixture(scope="module")
def servers(tmp_path_factory):
    """The production configuration, and one that also reads the PROXY protocol (allowed from 127.0.0.1 only)."""
    plain_proc, plain = _start(tmp_path_factory.mktemp("plain"))
    try:
        proxy_proc, proxy = _start(
            tmp_path_factory.mktemp("proxy"), "--proxy-protocol", "--proxy-allow-from", "127.0.0.1"
        )
    except BaseException:
        _stop(plain_proc)
        raise
    yield {"plain": plain, "proxy": proxy}
    _stop(proxy_proc)
    _stop(plain_proc)


def _request(target: str, *headers: str, line: str | None = None) -> bytes:
    lines = [line or f"GET {target} HTTP/1.1", "Host: 127.0.0.1", *headers]
    return ("\r\n".join(lines) + "\r\n\r\n").encode("latin-1")


@dataclass
class Case:
    kind: str  # the gunicorn exception
    name: str
    build: Callable[[str], bytes]
    status: int
    server: str = "plain"
    source: str = "127.0.0.1"


CASES = [
    Case("LimitRequestLine", "request line over the limit", lambda t: _request(f"{t}&pad={'a' * 5000}"), 400),
    Case("LimitRequestHeaders", "a header over the size limit", lambda t: _request(t, f"X-Big: {'b' * 9000}"), 431),
    Case("LimitRequestHeaders", "too many headers", lambda t: _request(t, *(f"X-H{i}: {i}" for i in range(120))), 431),
    Case("InvalidRequestLine", "no HTTP version", lambda t: _request(t, line=f"GET {t}"), 400),
    Case("InvalidRequestMethod", "lower-case method", lambda t: _request(t, line=f"get {t} HTTP/1.1"), 400),
    Case("InvalidHTTPVersion", "HTTP/2.0 request line", lambda t: _request(t, line=f"GET {t} HTTP/2.0"), 400),
    Case("InvalidHeader", "header without a colon", lambda t: _request(t, "no colon here"), 400),
    Case("InvalidHeaderName", "space in a header name", lambda t: _request(t, "Bad Name: 1"), 400),
    Case("ObsoleteFolding", "folded header", lambda t: _request(t, "X-A: 1", " folded"), 400),
    Case(
        "InvalidSchemeHeaders",
        "conflicting forwarding headers",
        lambda t: _request(t, "X-Forwarded-Proto: https", "X-Forwarded-Ssl: off"),
        400,
    ),
    Case("UnsupportedTransferCoding", "unknown transfer coding", lambda t: _request(t, "Transfer-Encoding: zip"), 501),
    Case("ConfigurationProblem", "path outside SCRIPT_NAME", lambda t: _request(t, "SCRIPT_NAME: /elsewhere"), 500),
    Case(
        "InvalidProxyLine",
        "malformed PROXY line",
        lambda t: b"PROXY TCP4 nonsense\r\n" + _request(t),
        400,
        server="proxy",
    ),
    Case(
        "ForbiddenProxyRequest",
        "PROXY line from an address not allowed",
        lambda t: b"PROXY TCP4 10.0.0.1 10.0.0.2 5000 80\r\n" + _request(t),
        403,
        server="proxy",
        source="127.0.0.2",
    ),
]
# Kinds no request to this deployment can raise, and why.
NOT_REACHABLE = {"SSLError": "TLS ends at the load balancer (docs/deployment.md): gunicorn never speaks it here"}


def _kinds_gunicorn_answers() -> set[str]:
    """The exception names in the first ``isinstance(exc, (...))`` of gunicorn's ``Worker.handle_error``."""
    tree = ast.parse(textwrap.dedent(inspect.getsource(Worker.handle_error)))
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "isinstance":
            kinds = node.args[1]
            if isinstance(kinds, ast.Tuple):
                return {element.id for element in kinds.elts}
    raise AssertionError("gunicorn's handle_error has changed shape: read it again")


def test_every_kind_of_error_gunicorn_answers_itself_is_walked():
    kinds = _kinds_gunicorn_answers()
    assert len(kinds) > 10
    assert kinds == {case.kind for case in CASES} | set(NOT_REACHABLE)


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_under_api_the_answer_is_the_api_json_error_in_persian(servers, case):
    server = servers[case.server]
    status, headers, body = server.send(case.build(API), source=case.source)
    assert status == case.status
    assert headers["content-type"] == "application/json"
    assert int(headers["content-length"]) == len(body)
    data = json.loads(body.decode("utf-8"))
    assert PERSIAN.search(data["detail"]) and data["code"]
    assert set(data) == ({"detail", "code", "errors"} if status == 400 else {"detail", "code"})
    if status == 400:
        assert data["errors"] == {"non_field_errors": [data["detail"]]}
    assert headers["x-content-type-options"] == "nosniff" and "default-src" in headers["content-security-policy"]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_elsewhere_the_answer_is_a_short_persian_page(servers, case):
    server = servers[case.server]
    status, headers, body = server.send(case.build(PAGE), source=case.source)
    assert status == case.status
    assert headers["content-type"] == "text/html; charset=utf-8"
    assert int(headers["content-length"]) == len(body)
    page = body.decode("utf-8")
    assert '<html lang="fa" dir="rtl">' in page and '<meta charset="utf-8">' in page
    heading = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert PERSIAN.search(heading) and PERSIAN.search(re.search(r"<p>(.*?)</p>", page).group(1))
    assert "Bad Request" not in page and "<script" not in page
    assert headers["x-frame-options"] == "DENY" and "default-src" in headers["content-security-policy"]


def test_the_limits_are_named_in_persian(servers):
    plain = servers["plain"]
    line = json.loads(plain.send(_request(f"{API}&pad={'a' * 5000}"))[2])
    header = json.loads(plain.send(_request(API, f"X-Big: {'b' * 9000}"))[2])
    assert line["code"] == "request_line_too_long" and "طولانی" in line["detail"]
    assert header["code"] == "headers_too_large" and "سرآیند" in header["detail"]


def test_an_absolute_or_percent_encoded_api_target_still_gets_json(servers):
    plain = servers["plain"]
    for target in (f"http://127.0.0.1{API}", API.replace("/api/", "/%61pi/")):
        status, headers, _body = plain.send(_request(f"{target}&pad={'a' * 5000}"))
        assert (status, headers["content-type"]) == (400, "application/json"), target


def test_gunicorn_still_logs_each_refusal_and_django_still_answers_the_rest(servers):
    plain = servers["plain"]
    plain.send(_request(f"{API}&pad={'z' * 5000}"))
    time.sleep(0.2)
    log = plain.log.read_text()
    assert "Invalid request from ip=127.0.0.1" in log and "Request Line is too large" in log
    status, headers, body = plain.send(_request("/api/v1/no-such-thing/", "Connection: close"))
    assert status == 404 and headers["content-type"] == "application/json"
    assert json.loads(body)["code"] == "not_found"


def test_an_error_outside_the_parser_is_a_persian_500(tmp_path):
    """The last branch of handle_error (an exception gunicorn does not know), on gunicorn's own objects."""
    cfg = Config()
    cfg.set("worker_tmp_dir", str(tmp_path))
    worker = ThreadWorker(0, os.getpid(), [], None, 30, cfg, Logger(cfg))
    try:
        _answer_each_with_500(worker, cfg)
    finally:
        worker.tmp.close()


def _answer_each_with_500(worker, cfg) -> None:
    for target, content_type in ((API, "application/json"), (PAGE, "text/html; charset=utf-8")):
        server_side, client_side = socket.socketpair()
        with server_side, client_side:
            client_side.sendall(_request(target))
            req = next(RequestParser(cfg, server_side, ("127.0.0.1", 1)))
            worker.handle_error(req, server_side, ("127.0.0.1", 1), RuntimeError("boom"))
            server_side.shutdown(socket.SHUT_WR)
            answer = b""
            while chunk := client_side.recv(65536):
                answer += chunk
        head, _, body = answer.partition(b"\r\n\r\n")
        assert head.startswith(b"HTTP/1.1 500 ") and f"Content-Type: {content_type}".encode() in head
        assert "سمت ما" in body.decode("utf-8")
