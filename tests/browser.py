"""Browser fixtures: Debian's Chromium driven by Playwright against a live server.

Loaded once for the whole suite (``pytest_plugins`` in tests/conftest.py) so
every folder shares one browser per worker: Playwright's sync API refuses to
start twice in one process. Its event loop runs in the test thread, so
Django's guard against ORM calls from async contexts is lifted while the
browser is open. A failing test leaves a full-page screenshot under
``var/e2e-screenshots``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
SCREENSHOT_DIR = Path(__file__).resolve().parents[2] / "var" / "e2e-screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


def browser_required() -> bool:
    """CI (and anyone who sets REQUIRE_BROWSER=1) must run the browser tests; a fresh machine may skip them."""
    return os.environ.get("CI", "").lower() == "true" or os.environ.get("REQUIRE_BROWSER") == "1"


def _missing_browser_message() -> str:
    return f"Chromium not found at {CHROMIUM}: install Debian's chromium package to run the browser tests"


def pytest_collection_modifyitems(config, items):
    """Without Chromium, a fresh machine skips the browser tests with one line; CI fails on them instead."""
    if Path(CHROMIUM).exists() or browser_required():
        return
    skipped = [item for item in items if "browser" in getattr(item, "fixturenames", ())]
    if skipped:
        items[:] = [item for item in items if item not in skipped]
        config.hook.pytest_deselected(items=skipped)


def pytest_terminal_summary(terminalreporter, config):
    # Said once by the process that reports (with xdist, the workers collect and deselect).
    if not Path(CHROMIUM).exists() and not browser_required():
        terminalreporter.write_line(f"SKIPPED browser tests: {_missing_browser_message()}", yellow=True)


@pytest.fixture(scope="session")
def browser():
    if not Path(CHROMIUM).exists():
        pytest.fail(_missing_browser_message())  # only reached where browser tests are required
    from playwright.sync_api import sync_playwright

    # From here on Playwright's loop counts as running in this thread, for every
    # later test of this worker: let the ORM run beside it until the browser closes.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
            yield browser
            browser.close()
    finally:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)


def _new_context(browser, live_server):
    """A fresh browser profile (no cookies) at a desktop width."""
    context = browser.new_context(base_url=live_server.url, locale="fa-IR", viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    return context


def _new_page(context):
    """A page that records uncaught script errors in ``page.js_errors``."""
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.js_errors = errors
    return page


def _screenshot_if_failed(request, page, suffix: str = "") -> None:
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    SCREENSHOT_DIR.mkdir(parents=True, exist_ok=True)
    name = re.sub(r"[^\w.-]+", "_", request.node.nodeid)[-140:]
    path = SCREENSHOT_DIR / f"{name}{suffix}.png"
    try:
        page.screenshot(path=str(path), full_page=True)
        request.node.user_properties.append(("screenshot", str(path)))
    except Exception as exc:  # noqa: BLE001 - a broken page must not hide the real failure
        request.node.user_properties.append(("screenshot", f"not taken: {exc}"))


@pytest.fixture
def context(browser, live_server):
    context = _new_context(browser, live_server)
    yield context
    context.close()


@pytest.fixture
def page(context, request):
    page = _new_page(context)
    yield page
    _screenshot_if_failed(request, page)
    page.close()


@pytest.fixture
def open_page(browser, live_server, request):
    """Another person's browser beside ``page``: ``open_page()`` is a page in a fresh profile (own cookies).

    Each page records ``js_errors`` and leaves a screenshot when the test fails, like ``page``.
    """
    opened = []

    def _open():
        other = _new_context(browser, live_server)
        new_page = _new_page(other)
        opened.append((other, new_page))
        return new_page

    yield _open
    for index, (other, new_page) in enumerate(opened, start=1):
        _screenshot_if_failed(request, new_page, f"-other{index}")
        other.close()


@pytest.fixture
def fast_passwords(settings):
    """Quick password hashing for journeys that sign several people in; the forms and checks stay the same."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def delivered_mail(request, settings, tmp_path, monkeypatch):
    """Notifications leave the portal as in production, and their emails land as files.

    In-app rows are written with the event, in the request. Emails go out
    after the commit: with REDIS_URL set the live server publishes them to
    Redis and a real Celery worker (on a queue of its own) sends them; without
    it Celery runs them in-process. Returns the folder's ``MailDir``.
    """
    from tests.mail import mail_to_files

    mail = mail_to_files(tmp_path, settings, monkeypatch)
    if os.environ.get("REDIS_URL"):
        settings.NOTIFICATIONS_QUEUE = request.getfixturevalue("celery_worker_process")
        settings.OTP_QUEUE = settings.NOTIFICATIONS_QUEUE
    return mail


@pytest.fixture
def sms_delivery(request, settings):
    """One-time codes leave as in production and land as files (``sms_files``), for ``login`` to type.

    With REDIS_URL set the live server publishes them to Redis and a real
    Celery worker on a queue of its own sends them; without it they are sent
    in-process at the commit.
    """
    if os.environ.get("REDIS_URL"):
        settings.OTP_QUEUE = request.getfixturevalue("celery_worker_process")


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


CODE_PAGE = "/accounts/otp/verify/"


def login(page, username: str, password: str, next_url: str = "/") -> None:
    """Sign in through the real login form; staff then type the SMS code (tests using it need ``sms_delivery``)."""
    page.goto(f"/accounts/login/?next={next_url}")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", password)
    page.locator("form button[type=submit], form input[type=submit]").last.click()
    page.wait_for_load_state()
    if page.url.split("?")[0].endswith(CODE_PAGE):
        enter_sms_code(page, username)


def sms_code(username: str, *, after: int = 0) -> str:
    """The newest code sent by SMS to the account ``username`` (a number in any spelling, or its email)."""
    from django.conf import settings

    from tests.sms import SmsDir

    phone = username
    if "@" in username:
        from accounts.models import User

        phone = User.objects.get(email=username.lower()).phone
    return SmsDir(Path(settings.SMS_FILE_PATH)).last_code(phone, after=after)


def enter_sms_code(page, username: str) -> None:
    """On the code page: type the code the SMS to ``username`` holds, as its owner would."""
    page.fill("input[name=code]", sms_code(username))
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
