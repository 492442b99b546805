"""Reading emails that Django's filebased backend wrote, from this process or a worker process."""

from __future__ import annotations

import email
import email.policy
import time
from pathlib import Path

import pytest

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


class MailDir:
    """The messages in a folder the filebased email backend writes to."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def messages(self) -> list[email.message.EmailMessage]:
        found = []
        for file in sorted(self.path.glob("*.log")):
            for chunk in file.read_bytes().split(SEPARATOR):
                if chunk.strip():
                    found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def to(self, address: str) -> list[email.message.EmailMessage]:
        return [message for message in self.messages() if message["To"] == address]

    def wait_for(self, count: int, timeout: float = 45) -> list[email.message.EmailMessage]:
        """Poll until ``count`` messages are there: a worker in another process takes its time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.messages()
            if len(found) >= count:
                return found
            time.sleep(0.2)
        return self.messages()


def mail_to_files(tmp_path: Path, settings, monkeypatch: pytest.MonkeyPatch) -> MailDir:
    """Email to files: here through settings, in a worker started after this through the environment."""
    path = tmp_path / "mail"
    path.mkdir()
    settings.EMAIL_BACKEND = "django.core.mail.backends.filebased.EmailBackend"
    settings.EMAIL_FILE_PATH = str(path)
    monkeypatch.setenv("EMAIL_BACKEND", "filebased")
    monkeypatch.setenv("EMAIL_FILE_PATH", str(path))
    return MailDir(path)
