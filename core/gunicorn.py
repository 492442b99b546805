"""gunicorn's own answers to malformed requests, in the portal's language and formats.

gunicorn refuses some requests before Django sees them (a request line or
headers over its limits, a request line that is not HTTP, a transfer coding
it does not know…) with an English HTML page. ``ThreadWorker`` keeps
gunicorn's status code, warning and access line for each of them and writes
the body the portal's clients expect instead: the API's JSON error under
``/api/``, elsewhere a short Persian page.

When gunicorn gives up before it has parsed the request line (a line over
``limit_request_line``), the path is unknown; ``Request`` keeps the first
bytes it read on the exception, and they say whether the target was under
``/api/``. The worker swaps the parser on each new connection, so nothing in
gunicorn is patched. Configured as ``worker_class`` in gunicorn.conf.py.
"""

from __future__ import annotations

import html
import json
from functools import cached_property
from urllib.parse import unquote, urlsplit

from gunicorn import util
from gunicorn.http.errors import LimitRequestHeaders, LimitRequestLine
from gunicorn.http.message import Request as GunicornRequest
from gunicorn.http.parser import RequestParser as GunicornRequestParser
from gunicorn.workers.gthread import ThreadWorker as GunicornThreadWorker

# Enough for the method, the scheme and host of an absolute-form target, and a PROXY line before it.
HEAD_BYTES = 512
API_PREFIX = "/api/"


class Request(GunicornRequest):
    """gunicorn's request, which leaves the start of the request line on any error raised while it is read."""

    def __init__(self, *args, **kwargs) -> None:
        self.line_head = b""
        try:
            super().__init__(*args, **kwargs)
        except Exception as exc:
            exc.request_line_head = self.line_head
            raise

    def read_line(self, unreader, buf, limit=0):
        try:
            return super().read_line(unreader, buf, limit)
        finally:
            self.line_head = buf.getvalue()[:HEAD_BYTES]


class RequestParser(GunicornRequestParser):
    mesg_class = Request


def target_of(line_head: bytes) -> str:
    """The request target in the first bytes of a request (after a PROXY line, if any); "" when there is none."""
    if line_head.startswith(b"PROXY "):
        line_head = line_head.partition(b"\r\n")[2]
    parts = line_head.split(b"\r\n", 1)[0].split(b" ")
    return parts[1].decode("latin-1") if len(parts) > 1 else ""


def is_api(target: str) -> bool:
    """Whether Django would have routed ``target`` (origin or absolute form, percent-encoded or not) under /api/."""
    if not target.startswith("/"):
        try:
            target = urlsplit(target).path
        except ValueError:
            return False
    return unquote(target.split("?", 1)[0]).startswith(API_PREFIX)


class _Withheld:
    """Stands in for the client socket while gunicorn writes its English page: keeps its status line, sends nothing."""

    def __init__(self, sock) -> None:
        self.sock = sock
        self.status: tuple[int, str] | None = None

    def sendall(self, data: bytes) -> None:
        if self.status is None:
            _version, code, reason = data.split(b"\r\n", 1)[0].decode("latin-1").split(" ", 2)
            self.status = (int(code), reason)

    def gettimeout(self):
        return self.sock.gettimeout()

    def setblocking(self, flag) -> None:
        pass

    def __getattr__(self, name):
        return getattr(self.sock, name)


def _messages(exc: BaseException, status: int) -> tuple[str, str, str]:
    """``(code, title, detail)`` for the answer, in the site's language."""
    from django.utils.translation import gettext as _

    if isinstance(exc, LimitRequestLine):
        return "request_line_too_long", _("Bad request"), _("The address of this request is too long.")
    if isinstance(exc, LimitRequestHeaders):
        return "headers_too_large", _("Bad request"), _("The headers of this request are too large.")
    if status == 403:
        return "forbidden", _("Access denied"), _("This request is not allowed.")
    if status == 501:
        return "not_implemented", _("Bad request"), _("This way of sending a request is not supported.")
    if status >= 500:
        return "error", _("Server error"), _("Something went wrong on our side. Please try again in a few minutes.")
    detail = _("The request could not be understood. Please check what you entered and try again.")
    return "bad_request", _("Bad request"), detail


class ThreadWorker(GunicornThreadWorker):
    """gunicorn's threaded worker whose own error answers are Persian: JSON under /api/, a short RTL page elsewhere."""

    def enqueue_req(self, conn) -> None:
        if conn.parser is None:
            conn.init()  # wraps TLS when configured and makes gunicorn's parser, which has read nothing yet
            conn.parser = RequestParser(self.cfg, conn.sock, conn.client)
        super().enqueue_req(conn)

    def handle_error(self, req, client, addr, exc) -> None:
        withheld = _Withheld(client)
        super().handle_error(req, withheld, addr, exc)  # gunicorn's status, warning and access line
        if withheld.status is None:
            return
        status, reason = withheld.status
        uri = getattr(req, "uri", None)
        target = uri if uri is not None else target_of(getattr(exc, "request_line_head", b""))
        try:
            payload = self._answer(status, reason, exc, api=is_api(target))
        except Exception:  # noqa: BLE001 - the client still gets gunicorn's own page
            self.log.exception("Could not write the Persian error answer")
            payload = None
        try:
            if payload is None:
                util.write_error(client, status, reason, "")
            else:
                util.write_nonblock(client, payload)
        except OSError:
            self.log.debug("Failed to send error message.")

    def _answer(self, status: int, reason: str, exc: BaseException, *, api: bool) -> bytes:
        from django.conf import settings
        from django.utils import translation

        with translation.override(settings.LANGUAGE_CODE):
            code, title, detail = _messages(exc, status)
            if api:
                data = {"detail": detail, "code": code}
                if status == 400:
                    data["errors"] = {"non_field_errors": [detail]}
                body = json.dumps(data, ensure_ascii=False).encode()
                content_type = "application/json"
            else:
                body = self._page(title, detail).encode()
                content_type = "text/html; charset=utf-8"
            language = translation.get_language()
        head = [
            f"HTTP/1.1 {status} {reason}",
            "Connection: close",
            f"Content-Type: {content_type}",
            f"Content-Length: {len(body)}",
            f"Content-Language: {language}",
            *self._security_headers,
        ]
        return "\r\n".join([*head, "", ""]).encode("latin-1") + body

    @staticmethod
    def _page(title: str, detail: str) -> str:
        from django.utils import translation
        from django.utils.translation import gettext as _

        direction = "rtl" if translation.get_language_bidi() else "ltr"
        title, detail, home = html.escape(title), html.escape(detail), html.escape(_("Back to the home page"))
        return (
            f'<!doctype html>\n<html lang="{translation.get_language()}" dir="{direction}">\n<head>\n'
            '<meta charset="utf-8">\n<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            f"<title>{title}</title>\n</head>\n<body>\n<main>\n<h1>{title}</h1>\n<p>{detail}</p>\n"
            f'<p><a href="/">{home}</a></p>\n</main>\n</body>\n</html>\n'
        )

    @cached_property
    def _security_headers(self) -> list[str]:
        """The headers every response of the site carries (docs/security.md), which Django would have added."""
        from django.conf import settings

        from core.security import build_policy

        headers = ["X-Content-Type-Options: nosniff", f"X-Frame-Options: {settings.X_FRAME_OPTIONS}"]
        policy = build_policy(settings.CONTENT_SECURITY_POLICY)
        if policy:
            report_only = "-Report-Only" if settings.CONTENT_SECURITY_POLICY_REPORT_ONLY else ""
            headers.append(f"Content-Security-Policy{report_only}: {policy}")
        referrer = settings.SECURE_REFERRER_POLICY
        if referrer:
            headers.append(f"Referrer-Policy: {referrer if isinstance(referrer, str) else ','.join(referrer)}")
        if settings.SECURE_CROSS_ORIGIN_OPENER_POLICY:
            headers.append(f"Cross-Origin-Opener-Policy: {settings.SECURE_CROSS_ORIGIN_OPENER_POLICY}")
        if settings.PERMISSIONS_POLICY:
            features = ", ".join(f"{name}=({' '.join(allow)})" for name, allow in settings.PERMISSIONS_POLICY.items())
            headers.append(f"Permissions-Policy: {features}")
        return headers
