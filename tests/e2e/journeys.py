"""Steps the browser journeys share: signing in, admin actions, reading emails a worker wrote."""

from __future__ import annotations

import email
import email.policy
import re
import time
from collections.abc import Callable
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import login
from tests.factories import PASSWORD

SEPARATOR = b"\n" + b"-" * 79 + b"\n"


def sign_in(page: Page, user, next_url: str = "/") -> None:
    """The login form with the factory password; it lands on ``next_url``."""
    login(page, user.phone, PASSWORD, next_url)
    expect(page).to_have_url(re.compile(re.escape(next_url) + "$"))


def admin_action(page: Page, changelist: str, row_text: str, action_label: str) -> None:
    """Tick the changelist row showing ``row_text`` and run the action called ``action_label``."""
    page.goto(changelist)
    row = page.locator("#result_list tbody tr", has_text=row_text)
    expect(row).to_have_count(1)
    row.locator("input[name=_selected_action]").check()
    page.select_option("select[name=action]", label=action_label)
    page.locator("button[name=index]").click()
    page.wait_for_load_state()


def wait_until(check: Callable[[], object], timeout: float = 30.0) -> bool:
    """Poll ``check`` until it is true: a worker in another process takes its time."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if check():
            return True
        time.sleep(0.2)
    return bool(check())


class MailDir:
    """Emails the filebased backend wrote, from the live server or from a Celery worker process."""

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
