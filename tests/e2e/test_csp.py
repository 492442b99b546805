"""Every kind of page works under the Content Security Policy: nothing is refused, nothing breaks.

Chromium reports a blocked inline script or style, ``eval`` or a foreign host
both as a ``securitypolicyviolation`` event and as a console message starting
"Refused to"; the test listens to both on every page it opens.
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.browser import enter_sms_code
from tests.factories import PASSWORD

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("sms_delivery")]

LISTEN = """
document.addEventListener('securitypolicyviolation', (event) => {
  window.reportCspViolation(`${event.violatedDirective} blocked ${event.blockedURI || 'inline'}`
    + ` at ${event.sourceFile}:${event.lineNumber} on ${document.location.pathname}`);
});
"""


@pytest.fixture
def violations(context, page):
    """Everything the policy refused, from events and from the console, across navigations."""
    found: list[str] = []
    context.expose_binding("reportCspViolation", lambda _source, text: found.append(text))
    context.add_init_script(LISTEN)
    page.on("console", lambda message: found.append(message.text) if "Refused to" in message.text else None)
    return found


def _visit(page, path: str) -> None:
    response = page.goto(path)
    assert response is not None and response.status == 200, f"{path}: {response and response.status}"
    assert "script-src 'self'" in response.headers["content-security-policy"]  # Playwright lower-cases names
    page.wait_for_load_state("load")


def test_public_pages_admin_and_api_docs_work_under_the_policy(page, violations):
    district = factories.DistrictFactory()
    neighborhood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    project = factories.ProjectFactory(district=district, neighborhoods=[neighborhood])
    factories.CommentFactory(project=project)
    organization = factories.VerifiedOrganizationFactory(city=district.city, districts=[district])
    admin = factories.CityAdminFactory()

    public = ("/", "/projects/", f"/projects/{project.pk}/", "/organizations/", f"/organizations/{organization.pk}/")
    for path in (*public, f"/neighborhoods/{neighborhood.pk}/", "/accounts/signup/"):
        _visit(page, path)
        assert page.locator("main h1").first.is_visible(), path

    # The sign-in page, used for real: its form posts and the site answers.
    _visit(page, "/accounts/login/")
    page.fill("input[name=username]", "09120000001")
    page.fill("input[name=password]", "wrong")
    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state("load")
    assert page.locator(".errorlist, [role=alert]").first.is_visible()

    # Signing in by code, and the admin: its login, the SMS code, a changelist and a change form (with the
    # Jalali date widgets).
    _visit(page, "/accounts/otp/")
    _visit(page, "/admin/login/")
    page.fill("input[name=username]", admin.phone)
    page.fill("input[name=password]", PASSWORD)
    page.locator("#login-form [type=submit]").click()
    page.wait_for_url("**/accounts/otp/verify/")
    enter_sms_code(page, admin.phone)
    page.wait_for_url("**/admin/")
    _visit(page, "/admin/projects/project/")
    assert page.locator("#result_list").is_visible()
    _visit(page, f"/admin/projects/project/{project.pk}/change/")
    assert page.locator("#project_form").is_visible()
    page.locator("input.vjDateField").first.click()
    assert page.locator("#ui-datepicker-div").is_visible()  # the Jalali date picker still opens
    for path, form in (
        (f"/admin/ngos/organization/{organization.pk}/change/", "#organization_form"),
        (f"/admin/accounts/user/{admin.pk}/change/", "#user_form"),
    ):
        _visit(page, path)
        assert page.locator(form).is_visible(), path
    assert page.locator(".selector-available").first.is_visible()  # the district picker widget was built

    # DRF's browsable API (its stock templates may keep their inline styles, never scripts).
    _visit(page, "/api/v1/projects/")
    assert page.locator(".response-info").is_visible()

    # The interactive API docs: Swagger UI renders the operations from our own static files.
    _visit(page, "/api/docs/")
    page.locator(".opblock").first.wait_for(state="visible", timeout=20_000)
    assert page.locator(".opblock").count() > 10
    assert page.get_by_text("/api/v1/projects/", exact=True).first.is_visible()

    assert violations == [], "\n".join(violations)
    assert page.js_errors == []


def test_the_policy_is_enforced_an_injected_inline_script_does_not_run(page, violations):
    """Guards the guard: the listener really sees a refused inline script."""
    _visit(page, "/")
    page.evaluate(
        """() => { const s = document.createElement('script');
                   s.textContent = 'window.__inlineRan = true'; document.body.append(s); }"""
    )
    page.wait_for_timeout(200)
    assert page.evaluate("() => window.__inlineRan === true") is False
    assert any("script-src" in text for text in violations), violations
