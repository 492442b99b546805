"""The security headers every response carries, and HSTS once the site runs on HTTPS."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]


def _directives(policy: str) -> dict[str, list[str]]:
    parts = (part.split() for part in policy.split(";") if part.strip())
    return {name: sources for name, *sources in parts}


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/accounts/login/", "/api/v1/cities/", "/admin/login/", "/no-such-page/"])
def test_pages_api_and_errors_carry_the_policy_and_the_usual_headers(client, path):
    response = client.get(path)
    policy = _directives(response["Content-Security-Policy"])
    assert policy["script-src"] == ["'self'"]
    assert policy["style-src"] == ["'self'"]
    assert policy["object-src"] == ["'none'"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["default-src"] == ["'self'"]
    assert policy["base-uri"] == ["'self'"] and policy["form-action"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert "'unsafe-eval'" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "geolocation=()" in response["Permissions-Policy"]


@pytest.mark.django_db
def test_only_the_browsable_api_allows_inline_styles_and_never_inline_scripts(client):
    html = _directives(client.get("/api/v1/cities/", HTTP_ACCEPT="text/html")["Content-Security-Policy"])
    assert html["style-src"] == ["'self'", "'unsafe-inline'"]
    assert html["script-src"] == ["'self'"]
    json_policy = _directives(client.get("/api/v1/cities/", HTTP_ACCEPT="application/json")["Content-Security-Policy"])
    assert json_policy["style-src"] == ["'self'"]


@pytest.mark.django_db
def test_static_files_carry_the_policy_too(client):
    response = client.get("/static/css/portal.css")
    response.close()
    assert response.status_code == 200
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"


PROBE = """
import json, django
django.setup()
from django.test import Client
secure = Client().get("/healthz", secure=True)
plain = Client().get("/accounts/login/")
print(json.dumps({"hsts": secure.headers.get("Strict-Transport-Security"),
                  "plain_status": plain.status_code, "plain_location": plain.headers.get("Location")}))
"""


def _production(extra: dict) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in {"DEBUG", "HTTPS", "DATABASE_URL", "REDIS_URL", "CACHE_URL"}}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "civic_portal.settings",
            "DEBUG": "false",
            "SECRET_KEY": "probe-secret-key-for-the-headers-test-only-0123456789",
            "ALLOWED_HOSTS": "testserver",
            "STATIC_MANIFEST": "false",
            "VAR_DIR": str(BASE_DIR / "var"),
            **extra,
        }
    )
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], cwd=BASE_DIR, env=env, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_defaults_send_hsts_and_redirect_plain_http():
    seen = _production({})
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["plain_status"] == 301
    assert seen["plain_location"].startswith("https://")


def test_without_https_there_is_no_hsts():
    assert _production({"HTTPS": "false"})["hsts"] is None


# hx-on runs its code through eval, which the policy refuses as well.
INLINE = re.compile(
    r"""<style\b|\sstyle\s*=|<script\b(?![^>]*\bsrc=)[^>]*>|\son[a-z]+\s*=\s*["']|javascript:|\shx-on""", re.IGNORECASE
)


def _page_templates() -> list[Path]:
    """Every template the site serves (emails are read in mail clients, not under our policy)."""
    roots = [BASE_DIR / "templates", *(BASE_DIR / app / "templates" for app in APPS)]
    found = [path for root in roots if root.exists() for path in root.rglob("*.html")]
    return [path for path in found if not {"email", "emails"} & set(path.parts)]


APPS = ("accounts", "core", "civic_portal", "neighborhoods", "ngos", "projects", "notifications")


def test_no_page_template_has_inline_script_style_or_event_handler():
    """The policy would block them in the browser; catch them before a page silently breaks."""
    offenders = [
        f"{path.relative_to(BASE_DIR)}: {match.group(0)}"
        for path in _page_templates()
        for match in INLINE.finditer(path.read_text(encoding="utf-8"))
    ]
    assert len(_page_templates()) > 50
    assert offenders == []
