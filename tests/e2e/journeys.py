"""Steps the browser journeys share: signing in, admin actions, reading emails a worker wrote."""

from __future__ import annotations

import re
import time
from collections.abc import Callable

from playwright.sync_api import Page, expect

from tests.browser import login
from tests.factories import PASSWORD


def sign_in(page: Page, user, next_url: str = "/") -> None:
    """The login form with the factory password (staff then type their SMS code); it lands on ``next_url``."""
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
