"""Start-up: bad environment values stop the process and name the variable."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]
PROBE = "import django; django.setup(); from django.conf import settings as s; print(s.{attr})"


def run(env: dict, attr: str = "DEBUG") -> subprocess.CompletedProcess:
    clean = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DEBUG",
            "SECRET_KEY",
            "DATABASE_URL",
            "REDIS_URL",
            "CACHE_URL",
            "HTTPS",
            "ALLOWED_HOSTS",
            "SMS_BACKEND",
            "SMS_FILE_PATH",
        }
    }
    clean.update({"DJANGO_SETTINGS_MODULE": "civic_portal.settings", **env})
    return subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE.format(attr=attr)],
        cwd=BASE_DIR,
        env=clean,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_refuses_to_start_without_secret_key_when_debug_is_off():
    result = run({"DEBUG": "false"})
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("DEBUG", "maybe"),
        ("DATABASE_URL", "mysql://db/portal"),
        ("REDIS_URL", "localhost:6379"),
        ("LOGIN_FAILURE_LIMIT", "five"),
        ("EMAIL_BACKEND", "pigeon"),
        ("SMS_BACKEND", "fax"),
    ],
)
def test_bad_values_fail_loudly_with_the_variable_name(name, value):
    result = run({"DEBUG": "true", name: value})
    assert result.returncode != 0
    assert name in result.stderr.splitlines()[-1]


def test_zero_setup_defaults_sqlite_and_eager_celery(tmp_path):
    result = run(
        {"DEBUG": "true", "VAR_DIR": str(tmp_path)},
        attr="DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND']",
    )
    assert result.returncode == 0, result.stderr
    assert "sqlite3 True django.core.cache.backends.locmem.LocMemCache" in result.stdout


def test_sms_codes_go_to_files_in_development_and_nowhere_by_default_in_production(tmp_path):
    development = run({"DEBUG": "true", "VAR_DIR": str(tmp_path)}, attr="SMS_BACKEND, s.SMS_FILE_PATH")
    assert development.returncode == 0, development.stderr
    assert development.stdout.split() == ["file", str(tmp_path / "sms")]
    production = run(
        {"DEBUG": "false", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "portal.example.org", "VAR_DIR": str(tmp_path)},
        attr="SMS_BACKEND",
    )
    assert production.returncode == 0, production.stderr
    assert production.stdout.split() == ["console"]
    chosen = run({"DEBUG": "true", "SMS_BACKEND": "file", "SMS_FILE_PATH": str(tmp_path / "x")}, attr="SMS_FILE_PATH")
    assert chosen.stdout.split() == [str(tmp_path / "x")]


def test_redis_url_switches_to_real_broker_and_cache():
    result = run(
        {"DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/3"},
        attr="CELERY_BROKER_URL, s.CELERY_TASK_ALWAYS_EAGER, s.CACHES['default']['BACKEND']",
    )
    assert result.returncode == 0, result.stderr
    assert "redis://127.0.0.1:6379/3 False core.cache.FailSoftRedisCache" in result.stdout


def test_deploy_check_is_clean_with_production_settings(tmp_path):
    env = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(
        {
            "DEBUG": "false",
            "SECRET_KEY": "a-long-random-production-secret-key-for-the-deploy-check-1234567890",
            "ALLOWED_HOSTS": "portal.example.org",
            "VAR_DIR": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "civic_portal.settings",
            "IDENTITY_HASH_KEY": "a-long-random-identity-key-kept-apart-from-the-secret-key-0987654321",
            "SMS_BACKEND": "http",
            "SMS_GATEWAY_URL": "https://sms.example.org/send",
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout
