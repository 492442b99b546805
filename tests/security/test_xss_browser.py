"""The corpus in a real browser: pages full of payloads that would set ``window.__xss``.

Chromium opens the pages that show the most user text, as a citizen and as
staff in the admin; no payload may run (``window.__xss`` stays undefined) and
no dialog may open. The server-side sweep (test_xss.py) covers every page;
this one proves what a browser actually does with the escaped output.
"""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.browser import login
from tests.security.scene import build_world, fill_free_text
from tests.security.xss import PAYLOADS

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.e2e]

VECTORS = [v for k, v in PAYLOADS.items() if k != "bidi"]


def sign_in(context, user, base_url: str) -> None:
    """Give the browser a session of ``user`` (the sign-in form has its own tests in tests/e2e)."""
    client = Client()
    client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    cookie = client.cookies[settings.SESSION_COOKIE_NAME]
    context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": base_url}])


def _visit(page, path: str, dialogs: list[str]) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    assert urlsplit(page.url).path == path, f"{path} led to {page.url}"
    page.wait_for_load_state("load")
    # Give focus- and load-triggered handlers their chance to run.
    page.keyboard.press("Tab")
    page.keyboard.press("Tab")
    assert page.evaluate("typeof window.__xss") == "undefined", f"a payload ran on {path}"
    assert dialogs == [], f"a dialog opened on {path}: {dialogs}"


def test_payloads_do_not_run_in_chromium(page, open_admin_page, live_server):
    w = build_world()
    fill_free_text(w, VECTORS)
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # A payload that runs sets the flag; prove the probe works on this very page first.
    page.goto("/")
    page.evaluate("window.__xss = 1")
    assert page.evaluate("typeof window.__xss") == "number"

    sign_in(page.context, w.people["citizen"], live_server.url)
    for path in (
        w.project.get_absolute_url(),
        reverse("projects:list"),
        reverse("ngos:detail", kwargs={"pk": w.organization.pk}),
        reverse("ngos:directory"),
        reverse("neighborhoods:neighborhood_detail", kwargs={"pk": w.neighborhood.pk}),
        reverse("neighborhoods:need_detail", kwargs={"pk": w.need.pk}),
        reverse("ngos:opportunity", kwargs={"opportunity_pk": w.opportunity.pk}),
        reverse("ngos:meeting_detail", kwargs={"meeting_pk": w.meeting.pk}),
        reverse("projects:round", kwargs={"pk": w.round.pk}),
        reverse("projects:ideas"),
        reverse("notifications:inbox"),
        reverse("ngos:my_applications"),
        reverse("projects:comment_edit", kwargs={"pk": w.project.pk, "comment_id": w.comment.pk}),
    ):
        _visit(page, path, dialogs)

    admin = open_admin_page(w.people["admin"])
    admin.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    for path in (
        reverse("admin:projects_project_change", args=[w.project.pk]),
        reverse("admin:projects_comment_changelist"),
        reverse("admin:ngos_organization_change", args=[w.organization.pk]),
        reverse("admin:neighborhoods_needreport_changelist"),
    ):
        _visit(admin, path, dialogs)


@pytest.fixture
def open_admin_page(browser, live_server):
    """A second browser profile signed in as ``user``."""
    contexts = []

    def _open(user):
        context = browser.new_context(base_url=live_server.url, locale="fa-IR")
        context.set_default_timeout(15_000)
        contexts.append(context)
        sign_in(context, user, live_server.url)
        return context.new_page()

    yield _open
    for context in contexts:
        context.close()


def test_sign_in_with_an_email_address_through_the_real_form(page):
    """The sign-in box takes a whole email address (it used to be cut at a mobile number's 13 characters)."""
    factories.UserFactory(email="a.long.address@example.org")
    login(page, "a.long.address@example.org", factories.PASSWORD, "/accounts/profile/")
    assert urlsplit(page.url).path == "/accounts/profile/", page.url
