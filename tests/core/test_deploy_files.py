"""The files under deploy/ agree with the portal: every variable it reads is in env.example, the
systemd units run what the app needs (every Celery queue it routes to) hardened, and the nginx site
never serves private files. `make deploy-check` has nginx and systemd read the same files."""

from __future__ import annotations

import os
import re
import runpy
import secrets
import subprocess
import sys
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from civic_portal import celery_app
from core.staticfiles import ManifestStaticStorage

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = (DEPLOY / "nginx" / "civic-portal.conf").read_text(encoding="utf-8")
UNITS = {role: DEPLOY / "systemd" / f"civic-portal-{role}.service" for role in ("web", "worker", "beat")}
APP_SOURCES = ("civic_portal", "core", "places", "accounts", "notifications", "neighborhoods", "ngos", "projects")
ENV_READ = re.compile(
    r"""\b(?:env_(?:str|bool|int|list|url)|os\.environ\.get|os\.getenv|_int)\(\s*["']([A-Z][A-Z0-9_]*)["']"""
)
HARDENING = {
    "NoNewPrivileges": "yes",
    "ProtectSystem": "strict",
    "ProtectHome": "yes",
    "PrivateTmp": "yes",
    "PrivateDevices": "yes",
    "ProtectKernelTunables": "yes",
    "ProtectControlGroups": "yes",
    "RestrictSUIDSGID": "yes",
    "LockPersonality": "yes",
}


def variables_read() -> set[str]:
    """Every environment variable the portal's code and gunicorn.conf.py read, found in the source."""
    files = [ROOT / "gunicorn.conf.py"]
    for app in APP_SOURCES:
        files += [path for path in (ROOT / app).rglob("*.py") if "migrations" not in path.parts]
    names = set()
    for path in files:
        names |= set(ENV_READ.findall(path.read_text(encoding="utf-8")))
    return names - {"DJANGO_SETTINGS_MODULE"}


def env_example() -> dict[str, str]:
    """env.example's variables, commented-out ones (the defaults) included, with their values."""
    values = {}
    for line in (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^(?:# )?([A-Z][A-Z0-9_]*)=(.*)$", line)
        if match:
            values[match[1]] = match[2].strip('"')
    return values


def active_env() -> dict[str, str]:
    """The lines systemd would read: not commented out."""
    values = {}
    for line in (DEPLOY / "env.example").read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            name, sep, value = line.partition("=")
            assert sep and re.fullmatch(r"[A-Z][A-Z0-9_]*", name), line
            values[name] = value.strip('"')
    return values


def unit(role: str) -> dict[str, list[str]]:
    """A unit's settings, each key with its values in order (Environment= may repeat)."""
    values: dict[str, list[str]] = {}
    for line in UNITS[role].read_text(encoding="utf-8").splitlines():
        if line and not line.startswith(("#", "[")):
            key, _, value = line.partition("=")
            values.setdefault(key, []).append(value)
    return values


def unit_env(role: str) -> dict[str, str]:
    return dict(item.split("=", 1) for item in unit(role).get("Environment", []))


def nginx_blocks(prefix: str) -> list[str]:
    """The bodies of the nginx `location` blocks whose line starts with ``prefix``."""
    bodies = []
    for match in re.finditer(r"^\s*location " + re.escape(prefix) + r"\s*\{(.*?)^\s*\}", NGINX, re.M | re.S):
        bodies.append(match[1])
    return bodies


def size_in_bytes(value: str) -> int:
    number, unit_letter = re.fullmatch(r"(\d+)([kKmMgG]?)", value).groups()
    return int(number) * {"": 1, "k": 1024, "m": 1024**2, "g": 1024**3}[unit_letter.lower()]


def test_env_example_names_every_variable_the_portal_reads_and_nothing_else():
    read = variables_read()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL", "PRIVATE_MEDIA_ROOT", "GUNICORN_BIND"} <= read  # the scan works
    listed = set(env_example())
    assert read - listed == set(), "add these to deploy/env.example"
    used_by_units = {name for role in UNITS for name in re.findall(r"\$\{(\w+)\}", UNITS[role].read_text())}
    assert listed - read - used_by_units == set(), "deploy/env.example names variables nothing reads"


def run_with_env_example(command: list[str], **overrides: str) -> subprocess.CompletedProcess:
    """``command`` in a clean process whose environment is env.example's active lines (plus ``overrides``)."""
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "civic_portal.settings", **active_env(), **overrides}
    return subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=120, check=False)


def test_env_example_as_shipped_refuses_to_start_until_the_secret_is_set():
    result = run_with_env_example([sys.executable, "-c", "import django; django.setup()"])
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_env_example_with_its_secrets_filled_in_passes_djangos_deployment_checks():
    result = run_with_env_example(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        SECRET_KEY=secrets.token_urlsafe(50),
        IDENTITY_HASH_KEY=secrets.token_urlsafe(50),
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_env_example_keeps_private_files_outside_everything_nginx_serves():
    env = active_env()
    private = PurePosixPath(env["PRIVATE_MEDIA_ROOT"])
    for public in (env["STATIC_ROOT"], env["MEDIA_ROOT"]):
        assert not private.is_relative_to(public) and not PurePosixPath(public).is_relative_to(private)


@pytest.mark.parametrize("role", UNITS)
def test_each_unit_runs_as_civic_from_the_checkout_with_the_env_file_and_is_hardened(role):
    settings_of = unit(role)
    assert settings_of["User"] == ["civic"] and settings_of["Group"] == ["civic"]
    assert settings_of["EnvironmentFile"] == ["/etc/civic-portal/env"]
    assert settings_of["WorkingDirectory"] == ["/srv/civic-portal"]
    assert settings_of["Restart"] == ["on-failure"]
    assert settings_of["KillMode"] == ["mixed"] and settings_of["TimeoutStopSec"]
    for key, value in HARDENING.items():
        assert settings_of.get(key) == [value], key
    # Uploads and private files stay writable under ProtectSystem=strict.
    writable = [PurePosixPath(path) for path in settings_of["ReadWritePaths"][0].split()]
    for name in ("MEDIA_ROOT", "PRIVATE_MEDIA_ROOT"):
        assert any(PurePosixPath(active_env()[name]).is_relative_to(path) for path in writable), name
    assert settings_of["WantedBy"] == ["civic-portal.target"]
    assert f"civic-portal-{role}.service" in (DEPLOY / "systemd" / "civic-portal.target").read_text()


def test_the_web_unit_runs_gunicorn_on_the_socket_nginx_proxies_to_and_reloads_gracefully():
    web = unit("web")
    assert web["ExecStart"] == ["/srv/civic-portal/.venv/bin/gunicorn -c gunicorn.conf.py civic_portal.wsgi"]
    assert web["ExecReload"] == ["/bin/kill -s HUP $MAINPID"]
    assert web["RuntimeDirectory"] == ["civic-portal"]
    bind = unit_env("web")["GUNICORN_BIND"]
    assert bind == "unix:/run/civic-portal/gunicorn.sock"
    assert f"server {bind} " in NGINX
    # HUP loads new code only into workers that import it themselves.
    assert unit_env("web")["GUNICORN_PRELOAD"] == "false"
    gunicorn = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert int(web["TimeoutStopSec"][0]) > gunicorn["graceful_timeout"]


def test_gunicorn_boots_its_workers_without_preloading():
    """post_fork runs before a worker imports the app: it must not need Django's settings yet."""
    code = "import runpy; runpy.run_path('gunicorn.conf.py')['post_fork'](None, None); print('ok')"
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60, check=False
    )
    assert result.stdout.strip() == "ok", result.stderr


def test_the_worker_unit_consumes_every_queue_the_portal_sends_tasks_to():
    conf = celery_app.conf
    queues = {queue.name for queue in conf.task_queues} | {conf.task_default_queue, settings.OTP_QUEUE}
    queues |= {route["queue"] for route in conf.task_routes.values()}
    command = unit("worker")["ExecStart"][0]
    assert command.startswith("/srv/civic-portal/.venv/bin/celery -A civic_portal worker ")
    consumed = set(re.search(r" -Q (\S+)", command)[1].split(","))
    assert consumed == queues
    assert " -O fair " in command
    assert " -c ${CELERY_WORKER_CONCURRENCY} " in command and unit_env("worker")["CELERY_WORKER_CONCURRENCY"]
    # Warm shutdown lets the longest task finish before systemd kills what is left.
    assert int(unit("worker")["TimeoutStopSec"][0]) > settings.CELERY_TASK_TIME_LIMIT


def test_the_beat_unit_keeps_its_schedule_in_its_state_directory():
    beat = unit("beat")
    state = beat["StateDirectory"][0]
    assert re.search(rf" beat .*-s /var/lib/{re.escape(state)}/celerybeat-schedule\b", beat["ExecStart"][0])


def test_nginx_never_serves_private_files():
    private = PurePosixPath(active_env()["PRIVATE_MEDIA_ROOT"])
    served = [PurePosixPath(path) for path in re.findall(r"^\s*(?:root|alias)\s+([^;]+);", NGINX, re.M)]
    assert served  # the scan works
    for path in served:
        assert not private.is_relative_to(path), f"{path} holds the private files"
        assert "private" not in path.parts
    # Should a path ever lead to the private folder's name, it ends in a 404.
    assert any("return 404;" in body for body in nginx_blocks("^~ /private/"))
    # The portal streams private files from its permission-checked views; nginx gets an
    # `internal` location only if the code hands files over with X-Accel-Redirect.
    sources = [path for app in APP_SOURCES for path in (ROOT / app).rglob("*.py")]
    hands_over = any("X-Accel-Redirect" in path.read_text(encoding="utf-8") for path in sources)
    assert ("internal;" in NGINX) == hands_over


def test_nginx_serves_static_and_media_from_the_env_files_folders():
    env = active_env()
    assert f"alias {env['STATIC_ROOT']}/;" in nginx_blocks("^~ /static/")[0]
    assert f"alias {env['MEDIA_ROOT']}/;" in nginx_blocks("^~ /media/")[0]


def test_nginx_caches_hashed_static_names_for_a_year_and_others_briefly(tmp_path):
    year = 'add_header Cache-Control "public, max-age=31536000, immutable"'
    pattern = re.search(r'location ~ "([^"]+)" \{\s*' + re.escape(year), NGINX)
    storage = ManifestStaticStorage(location=tmp_path, base_url="/static/")
    hashed = storage.hashed_name("css/portal.css", ContentFile(b"body { color: black; }"))
    assert hashed != "css/portal.css"
    assert re.search(pattern[1], hashed)  # gzip_static finds the .gz beside it under the same URI
    for plain in ("css/portal.css", "js/vendor/jquery-3.7.1.min.js", "js/vendor/chart-4.6.2.umd.min.js"):
        assert not re.search(pattern[1], plain), plain


def test_nginx_limits_sign_in_and_code_requests_per_address_with_429():
    assert re.search(r"^\s*limit_req_status 429;", NGINX, re.M)
    for path, zone in {
        "= /accounts/login/": "civic_signin",
        "= /admin/login/": "civic_signin",
        "= /api/v1/auth/token/": "civic_signin",
        "^~ /accounts/otp/": "civic_otp",
        "^~ /api/v1/auth/otp/": "civic_otp",
    }.items():
        (body,) = nginx_blocks(path)
        assert re.search(rf"limit_req zone={zone} burst=\d+ nodelay;", body), path
        assert "proxy_pass http://civic_portal;" in body, path
    for zone in ("civic_signin", "civic_otp"):
        assert re.search(rf"limit_req_zone \$civic_limit_key zone={zone}:\d+m rate=\d+r/m;", NGINX)


def test_nginx_accepts_the_largest_upload_and_waits_longer_than_gunicorn():
    body_limit = size_in_bytes(re.search(r"client_max_body_size (\w+);", NGINX)[1])
    assert body_limit >= max(settings.IMPORT_MAX_FILE_BYTES, 2 * settings.UPLOAD_MAX_BYTES)
    gunicorn = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    assert int(re.search(r"proxy_read_timeout (\d+)s;", NGINX)[1]) >= gunicorn["timeout"]
    # Upstream keep-alive connections close before gunicorn's do.
    assert int(re.search(r"keepalive_timeout (\d+)s;", NGINX)[1]) < gunicorn["keepalive"]


def test_nginx_forwards_what_the_settings_trust_and_never_retries_a_post():
    for header in (
        "Host $host",
        "X-Forwarded-For $proxy_add_x_forwarded_for",
        "X-Forwarded-Proto $scheme",
    ):
        assert f"proxy_set_header {header};" in NGINX
    assert active_env()["BEHIND_PROXY"] == "true" and active_env()["TRUSTED_PROXY_COUNT"] == "1"
    retry = re.search(r"proxy_next_upstream ([^;]+);", NGINX)[1].split()
    assert retry == ["error", "timeout", "http_502", "http_503"]


def test_nginx_own_error_answers_are_the_portals_persian_sentences():
    catalogue = (ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po").read_text(encoding="utf-8")
    sentences = set(re.findall(r"<(?:h1|p|title)>([^<]+)</", NGINX)) | set(re.findall(r'"detail": "([^"]+)"', NGINX))
    assert len(sentences) >= 6
    for sentence in sentences:
        assert f'msgstr "{sentence}"' in catalogue, sentence
    for status in (404, 413, 429, 502, 503, 504):
        assert re.search(rf"error_page [\d ]*\b{status}\b[\d ]* @civic_", NGINX), status
