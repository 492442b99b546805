"""SMS gateways behind one small interface, chosen by ``SMS_BACKEND``.

``console`` prints the message; ``file`` writes one file per message under
``SMS_FILE_PATH`` (development and tests: the codes a person or a test
reads); ``http`` POSTs JSON to ``SMS_GATEWAY_URL`` with the key as a bearer
token. Gateway failures are sorted into ones worth retrying (timeouts, 5xx,
429, connection errors) and ones that will never succeed (other 4xx).

In the kernel because more than one app sends SMS: notifications (the outbox)
and accounts (one-time codes, which never pass through the outbox).
"""

from __future__ import annotations

import json
import os
import re
import secrets
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Protocol, TextIO

from django.conf import settings


class DeliveryError(Exception):
    """A send that failed but may succeed later: the row is retried."""

    transient = True


class PermanentDeliveryError(DeliveryError):
    """A send that will never succeed (bad number, no address): the row fails at once."""

    transient = False


class SmsGateway(Protocol):
    def send(self, *, to: str, text: str, reference: str) -> None:
        """Hand one message to the gateway; raise DeliveryError when it was not accepted."""


# Four or more digits in a row: a one-time code (or any number worth keeping out of a log).
_DIGIT_RUNS = re.compile(r"[0-9\u06f0-\u06f9\u0660-\u0669]{4,}")


class ConsoleSmsGateway:
    """Prints each message, with every run of digits blanked: standard output ends up in logs,
    and a printed sign-in code would let anyone who reads them sign in. Development reads real
    codes from the file backend instead."""

    _lock = threading.Lock()

    def __init__(self, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stdout

    def send(self, *, to: str, text: str, reference: str) -> None:
        shown = _DIGIT_RUNS.sub(lambda match: "•" * len(match.group(0)), text)
        with self._lock:
            self.stream.write(f"SMS to {to[:6]}…{to[-2:]} [{reference}]\n{shown}\n{'-' * 40}\n")
            self.stream.flush()


class FileSmsGateway:
    """One file per message: the first line is the number, the rest the text.

    The name starts with the time in nanoseconds (zero-padded), so sorting
    the names sorts the messages by when they were sent. A message is written
    under a temporary name and renamed, so a reader never sees half of one.
    """

    SUFFIX = ".sms"

    def __init__(self, path: str | os.PathLike) -> None:
        self.path = Path(path)

    def send(self, *, to: str, text: str, reference: str) -> None:
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            name = f"{time.time_ns():020d}-{secrets.token_hex(4)}"
            partial = self.path / f".{name}.tmp"
            partial.write_text(f"{to}\n{text}\n", encoding="utf-8")
            os.replace(partial, self.path / f"{name}{self.SUFFIX}")
        except OSError as exc:
            raise DeliveryError(f"Could not write the SMS file: {exc}") from exc


def read_sms_file(path: str | os.PathLike) -> tuple[str, str]:
    """The number and the text of a message the ``file`` backend wrote."""
    to, _newline, text = Path(path).read_text(encoding="utf-8").partition("\n")
    return to, text.removesuffix("\n")


class HttpSmsGateway:
    """POST ``{"to", "text", "reference"}``; any 2xx answer means accepted.

    ``reference`` also goes out as ``Idempotency-Key`` so a gateway that
    honours it drops the duplicate of a send whose answer was lost.
    """

    def __init__(self, *, url: str, key: str, timeout: float) -> None:
        self.url = url
        self.key = key
        self.timeout = timeout

    def send(self, *, to: str, text: str, reference: str) -> None:
        payload = json.dumps({"to": to, "text": text, "reference": reference}, ensure_ascii=False).encode()
        request = urllib.request.Request(  # noqa: S310 - SMS_GATEWAY_URL is checked to be http(s) in settings
            self.url,
            data=payload,
            method="POST",
            headers={
                "Content-Type": "application/json; charset=utf-8",
                "Authorization": f"Bearer {self.key}",
                "Idempotency-Key": reference,
            },
        )
        try:
            with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310
                response.read()
        except urllib.error.HTTPError as exc:
            if exc.code == 429 or exc.code >= 500:
                raise DeliveryError(f"SMS gateway answered HTTP {exc.code}") from exc
            raise PermanentDeliveryError(f"SMS gateway refused the message: HTTP {exc.code}") from exc
        except TimeoutError as exc:
            raise DeliveryError(f"SMS gateway did not answer within {self.timeout} s") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise DeliveryError(f"SMS gateway unreachable: {exc}") from exc


def get_sms_gateway() -> SmsGateway:
    if settings.SMS_BACKEND == "http":
        return HttpSmsGateway(
            url=settings.SMS_GATEWAY_URL, key=settings.SMS_GATEWAY_KEY, timeout=settings.SMS_GATEWAY_TIMEOUT
        )
    if settings.SMS_BACKEND == "file":
        return FileSmsGateway(settings.SMS_FILE_PATH)
    return ConsoleSmsGateway()
