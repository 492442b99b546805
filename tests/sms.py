"""Reading the SMS messages the ``file`` backend wrote, from this process or a worker process."""

from __future__ import annotations

import re
import time
from dataclasses import dataclass
from pathlib import Path

from accounts.validators import normalize_mobile
from core.sms import FileSmsGateway, read_sms_file

CODE = re.compile(r"(?<!\d)(\d{6})(?!\d)")


@dataclass(frozen=True)
class Sms:
    to: str
    text: str

    @property
    def code(self) -> str:
        """The one-time code in the text (ASCII digits, as sent)."""
        match = CODE.search(self.text)
        assert match, f"no 6-digit code in {self.text!r}"
        return match.group(1)


class SmsDir:
    """The messages in the folder ``SMS_BACKEND=file`` writes to, oldest first."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def messages(self) -> list[Sms]:
        return [Sms(*read_sms_file(file)) for file in sorted(self.path.glob(f"*{FileSmsGateway.SUFFIX}"))]

    def to(self, phone: str) -> list[Sms]:
        number = normalize_mobile(phone)
        return [message for message in self.messages() if message.to == number]

    def wait_for(self, phone: str, count: int = 1, timeout: float = 45) -> list[Sms]:
        """Poll until ``count`` messages to ``phone`` are there: a worker in another process takes its time."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            found = self.to(phone)
            if len(found) >= count:
                return found
            time.sleep(0.1)
        return self.to(phone)

    def last_code(self, phone: str, *, after: int = 0, timeout: float = 45) -> str:
        """The code of the newest message to ``phone``, once more than ``after`` messages reached it."""
        found = self.wait_for(phone, after + 1, timeout)
        assert len(found) > after, f"no SMS to {phone} after the first {after} (in {self.path})"
        return found[-1].code
