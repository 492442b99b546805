"""Secrets carried in URLs (password reset, unsubscribe) never reach a log line.

Every route with a secret parameter is found in the resolver, so a new one
is covered without a change here; each is checked in Django's log records
(through the configured handler filter) and in gunicorn's access line.
"""

from __future__ import annotations

import datetime as dt
import logging
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from gunicorn.config import Config

from core.logs import REDACTED, GunicornLogger, RedactSecretsFilter, redact, secret_routes
from notifications.tokens import make_token
from tests import factories

pytestmark = pytest.mark.django_db


def _secret_urls() -> dict[str, tuple[str, list[str]]]:
    """Each secret-carrying route: a real URL of it and the secrets in that URL."""
    user = factories.UserFactory()
    uid, token = urlsafe_base64_encode(force_bytes(user.pk)), default_token_generator.make_token(user)
    unsubscribe = make_token(user_id=user.pk, event="comment_replied", channel="email")
    return {
        "accounts:password_reset_confirm": (
            reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": token}),
            [uid, token],
        ),
        "notifications:unsubscribe": (
            reverse("notifications:unsubscribe", kwargs={"token": unsubscribe}),
            [unsubscribe],
        ),
    }


def test_every_route_with_a_secret_parameter_is_known_and_redacted():
    urls = _secret_urls()
    # The resolver names exactly these secret-carrying routes: a new one must be added above (and is redacted).
    assert len(secret_routes()) == len(urls), [p.pattern for p in secret_routes()]
    for name, (url, secrets) in urls.items():
        line = f'1.2.3.4 "GET {url}?next=/x HTTP/1.1" 200 512 "https://mail.example.org{url}"'
        cleaned = redact(line)
        assert REDACTED in cleaned, name
        assert not any(secret in cleaned for secret in secrets), (name, cleaned)
    assert redact("GET /projects/12/ HTTP/1.1") == "GET /projects/12/ HTTP/1.1"


def test_django_log_records_pass_through_the_filter_on_every_handler(client, caplog):
    handlers = settings.LOGGING["handlers"]
    assert all("redact_secrets" in handler.get("filters", ()) for handler in handlers.values())
    url, _secrets = _secret_urls()["notifications:unsubscribe"]
    with caplog.at_level(logging.WARNING, logger="django.request"):
        client.get(url.replace("/unsubscribe/", "/unsubscribe/x"))  # an unknown token: 400, logged
    records = [r for r in caplog.records if r.name == "django.request"]
    assert records, "a refused link is logged by Django"
    for record in records:
        # The portal's console handler (configured first) has blanked the token by the time anything reads it.
        assert "/unsubscribe/x" not in record.getMessage() and REDACTED in record.getMessage()
    fresh = logging.LogRecord("django.request", logging.WARNING, __file__, 1, "Bad Request: %s", (url,), None)
    RedactSecretsFilter().filter(fresh)
    assert fresh.getMessage() == "Bad Request: /notifications/unsubscribe/[redacted]/"


def test_gunicorn_access_lines_carry_no_secret():
    logger = GunicornLogger(Config())
    for name, (url, secrets) in _secret_urls().items():
        environ = {
            "REQUEST_METHOD": "GET",
            "RAW_URI": url,
            "PATH_INFO": url,
            "QUERY_STRING": "",
            "SERVER_PROTOCOL": "HTTP/1.1",
            "HTTP_REFERER": f"https://portal.example.org{url}",
        }
        resp = SimpleNamespace(status="200 OK", sent=10, headers=[])
        req = SimpleNamespace(headers=[("REFERER", f"https://portal.example.org{url}")])
        atoms = logger.atoms(resp, req, environ, dt.timedelta(milliseconds=5))
        line = logger.cfg.access_log_format % atoms
        for key in ("r", "U", "f", "{referer}i"):
            assert not any(secret in atoms[key] for secret in secrets), (name, key, atoms[key])
        assert not any(secret in line for secret in secrets), (name, line)
