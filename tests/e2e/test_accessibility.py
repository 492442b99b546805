"""Accessibility and phone layout of the public pages, checked in Chromium.

axe-core scans each page at 360 px wide (a small phone) for serious and
critical violations and for broken landmarks; the same visit checks that the
page does not scroll sideways and that nothing sticks out of the screen. The
keyboard tests walk the pages with Tab and Enter only, the way a keyboard or
switch user does: the skip link comes first, every stop shows a focus ring
that stands out from its background, the main navigation, the sign-in form
and the language switcher all work without a mouse, and the htmx answers
(support, follow, comment, report) leave the focus where the user can go on.

Pages are filled with the factories' hostile text (markup, Arabic ي/ك, Persian
digits, bidi overrides) and real-sized images, so long words and wide photos
are part of every layout check.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.test import Client
from PIL import Image
from playwright.sync_api import TimeoutError as PlaywrightTimeout

from ngos.models import OrganizationStatus
from projects.models import CommentStatus, ProjectImage, ProjectUpdateImage
from tests import factories

pytestmark = pytest.mark.django_db(transaction=True)

PHONE = {"width": 360, "height": 740}
AXE = Axe()
# Fail on what blocks people outright, and on broken page structure (landmarks
# and the page heading), which screen-reader users navigate by.
BLOCKING_IMPACTS = {"serious", "critical"}
# Touch targets of at least 24 px (WCAG 2.2 AA, 2.5.8) matter on a phone; axe leaves the rule off by default.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}
STRUCTURE_RULES = {
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "page-has-heading-one",
}


@dataclass
class World:
    citizen: object
    trustee: object
    neighborhood: object
    district: object
    project: object
    organization: object


@pytest.fixture
def world(fast_passwords, citizen, neighborhood, district) -> World:
    """One neighbourhood with everything a resident would see around it."""
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    trustee = factories.trustee_of(board).user
    factories.TrusteeshipFactory(board=board)
    factories.NeighborhoodHouseFactory(neighborhood=neighborhood)
    project = factories.ProjectFactory(district=district, neighborhoods=[neighborhood], progress=45)
    factories.ProjectFactory(district=district, neighborhoods=[neighborhood])
    ProjectImage.objects.create(project=project, image="projects/site.png", caption="")
    ProjectImage.objects.create(project=project, image="projects/plan.png", caption="نقشهٔ بوستان يك")
    factories.PhaseChangeFactory(project=project)
    update = factories.ProjectUpdateFactory(project=project)
    ProjectUpdateImage.objects.create(update=update, image="project-updates/work.png")
    thread = factories.CommentFactory(project=project)
    factories.CommentFactory(project=project, parent=thread, author=citizen)
    factories.CommentFactory(project=project, author=citizen, status=CommentStatus.PENDING, published_at=None)
    organization = factories.VerifiedOrganizationFactory(
        city=district.city,
        districts=[district],
        neighborhoods=[neighborhood],
        logo="ngos/logos/logo.png",
        website="https://example.org/" + "long-path-segment-" * 6,
    )
    factories.OrganizationFactory(city=district.city, status=OrganizationStatus.SUBMITTED)
    factories.OpportunityFactory(organization=organization)
    factories.NeedReportFactory(neighborhood=neighborhood, reporter=trustee)
    factories.NotificationFactory(recipient=citizen, url=project.get_absolute_url())
    factories.NotificationFactory(recipient=citizen, read_at=None)
    return World(citizen, trustee, neighborhood, district, project, organization)


def _png(width: int, height: int) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), (40, 120, 90)).save(out, format="PNG")
    return out.getvalue()


@pytest.fixture
def phone(context, page):
    """The page at phone width; uploads come back as a wide photo, as the media server would send them.

    The live test server serves static files only, so the browser gets each
    /media/ file from here instead of a 404 and images take their real room.
    """
    photo = _png(1600, 900)
    context.route(f"**{settings.MEDIA_URL}**", lambda route: route.fulfill(body=photo, content_type="image/png"))
    page.set_viewport_size(PHONE)
    return page


@pytest.fixture
def sign_in(context, live_server):
    """Give the browser a session for a user (the sign-in form itself is tested by keyboard below)."""

    def _sign_in(user) -> None:
        client = Client()
        client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
        cookie = client.cookies[settings.SESSION_COOKIE_NAME]
        context.add_cookies([{"name": cookie.key, "value": cookie.value, "url": live_server.url}])

    return _sign_in


# --- what each check looks at ---------------------------------------------------------------
OFF_SCREEN_JS = """() => {
  const width = document.documentElement.clientWidth;
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
    + (typeof el.className === 'string' && el.className ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  const scrollsSideways = (el) => {
    for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
      const overflow = getComputedStyle(box).overflowX;
      if (overflow === 'auto' || overflow === 'scroll') return true;
    }
    return false;
  };
  const problems = [];
  for (const el of document.body.querySelectorAll('*')) {
    // The skip link waits off-screen until it gets focus; visually hidden text is meant for screen readers.
    if (el.matches('.skip-link:not(:focus), .visually-hidden, .visually-hidden *')) continue;
    const style = getComputedStyle(el);
    if (style.display === 'none' || style.visibility === 'hidden') continue;
    const box = el.getBoundingClientRect();
    if (!box.width || !box.height) continue;
    if ((box.left < -1 || box.right > width + 1) && !scrollsSideways(el)) {
      problems.push(`${describe(el)} spans ${Math.round(box.left)}..${Math.round(box.right)}px`);
    }
    // Text fields scroll their own value under the caret; anything else that clips loses content.
    if (['hidden', 'clip'].includes(style.overflowX) && el.scrollWidth > el.clientWidth + 1
        && !el.matches('input, textarea, select')) {
      problems.push(`${describe(el)} clips its content (${el.scrollWidth}px in ${el.clientWidth}px)`);
    }
  }
  return problems.slice(0, 15);
}"""

FOCUSED_JS = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  let background = 'rgb(255, 255, 255)';
  for (let box = el.parentElement; box; box = box.parentElement) {
    const colour = getComputedStyle(box).backgroundColor;
    if (colour && colour !== 'transparent' && !/rgba\\(.*,\\s*0\\)$/.test(colour)) { background = colour; break; }
  }
  const box = el.getBoundingClientRect();
  return {
    element: el.outerHTML.slice(0, 120),
    outlineStyle: style.outlineStyle, outlineWidth: parseFloat(style.outlineWidth), outlineColor: style.outlineColor,
    boxShadow: style.boxShadow, background,
    inView: box.width > 0 && box.height > 0 && box.left >= -1 && box.right <= innerWidth + 1
      && box.top >= -1 && box.bottom <= innerHeight + 1,
    isSkipLink: el.matches('.skip-link'),
  };
}"""


def axe_problems(page) -> list[str]:
    """Serious/critical axe violations and structure violations, each with its help text and selectors."""
    results = AXE.run(page, options=AXE_OPTIONS).response
    problems = []
    for violation in results["violations"]:
        if violation["impact"] in BLOCKING_IMPACTS or violation["id"] in STRUCTURE_RULES:
            targets = "; ".join(" ".join(node["target"]) for node in violation["nodes"][:6])
            problems.append(f"{violation['id']} ({violation['impact']}): {violation['help']}\n      at {targets}")
    return problems


UNDESCRIBED_PHOTOS_JS = """() => [...document.querySelectorAll('main img')]
  .filter((img) => !img.closest('.card') && !(img.getAttribute('alt') || '').trim())
  .map((img) => img.outerHTML.slice(0, 100))"""


def image_problems(page) -> list[str]:
    """Photos in the content need a text alternative; only a card's thumbnail beside its title is decorative."""
    return [f"photo without alt text: {img}" for img in page.evaluate(UNDESCRIBED_PHOTOS_JS)]


LOAD_ALL_IMAGES_JS = """async () => {
  const images = [...document.images];
  images.forEach((img) => { img.loading = 'eager'; });
  const loaded = Promise.all(images.map((img) => img.complete ? null
    : new Promise((done) => { img.addEventListener('load', done); img.addEventListener('error', done); })));
  await Promise.race([loaded, new Promise((done) => setTimeout(done, 3000))]);
}"""


def layout_problems(page) -> list[str]:
    """Sideways scrolling and content that sticks out of (or is clipped by) the screen.

    Lazy images further down are loaded first, so they take their real size.
    """
    page.evaluate(LOAD_ALL_IMAGES_JS)
    scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    problems = (
        [f"scrolls sideways: {scroll_width}px wide in a {inner_width}px screen"] if scroll_width > inner_width else []
    )
    return problems + [f"cut off: {problem}" for problem in page.evaluate(OFF_SCREEN_JS)]


def _rgb(colour: str) -> tuple[float, ...]:
    return tuple(float(part) for part in re.findall(r"[\d.]+", colour)[:3])


def contrast(foreground: str, background: str) -> float:
    """WCAG contrast ratio of two CSS rgb() colours."""

    def luminance(colour: str) -> float:
        channels = [c / 255 for c in _rgb(colour)]
        r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    lighter, darker = sorted((luminance(foreground), luminance(background)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def focus_problem(stop: dict) -> str | None:
    """Why a focused element's focus ring would go unnoticed, or None when it shows."""
    if not stop["inView"]:
        return "is focused off-screen"
    if stop["boxShadow"] != "none":
        return None
    if stop["outlineStyle"] in ("none", "auto") or stop["outlineWidth"] < 2:
        return f"has no visible focus ring (outline {stop['outlineStyle']} {stop['outlineWidth']}px)"
    ratio = contrast(stop["outlineColor"], stop["background"])
    if ratio < 3:
        return f"has a focus ring of contrast {ratio:.2f}:1 ({stop['outlineColor']} on {stop['background']}), under 3:1"
    return None


def tab_to(page, selector: str, limit: int = 40) -> int:
    """Press Tab until ``selector`` has focus; return how many presses it took."""
    visited = []
    for presses in range(1, limit + 1):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return presses
        visited.append(page.evaluate("() => document.activeElement && document.activeElement.outerHTML.slice(0, 80)"))
    raise AssertionError(
        f"{selector} not reached in {limit} Tab presses on {page.url}; visited:\n  " + "\n  ".join(visited)
    )


# --- every page: axe, no sideways scroll, nothing cut off --------------------------------------
def _pages(world: World) -> list[tuple[str, object, str]]:
    """(name, who is signed in, URL), grouped by visitor so each signs in once."""
    project = world.project.get_absolute_url()
    return [
        ("home", None, "/"),
        ("project list", None, "/projects/"),
        ("project", None, project),
        ("organisation directory", None, "/organizations/"),
        ("organisation profile", None, f"/organizations/{world.organization.pk}/"),
        ("neighbourhood index", None, "/neighborhoods/"),
        ("neighbourhood", None, f"/neighborhoods/{world.neighborhood.pk}/"),
        ("district", None, f"/districts/{world.district.pk}/"),
        ("volunteer list", None, "/volunteer/"),
        ("sign-up", None, "/accounts/signup/"),
        ("login", None, "/accounts/login/"),
        ("sign-in by SMS code", None, "/accounts/otp/"),
        ("need-report form", world.trustee, f"/neighborhoods/{world.neighborhood.pk}/needs/new/"),
        ("project, signed in", world.citizen, project),
        ("notifications inbox", world.citizen, "/notifications/"),
        ("notification settings", world.citizen, "/notifications/preferences/"),
        ("profile", world.citizen, "/accounts/profile/"),
    ]


def test_pages_are_accessible_on_a_phone(world, sign_in, phone):
    """One visit per page, all problems reported together so one run shows everything to fix."""
    problems: dict[str, list[str]] = {}

    def audit(name: str) -> None:
        found = axe_problems(phone) + image_problems(phone) + layout_problems(phone)
        lang_dir = phone.evaluate("[document.documentElement.lang, document.documentElement.dir]")
        if lang_dir != ["fa", "rtl"]:
            found.append(f"<html> is lang={lang_dir[0]!r} dir={lang_dir[1]!r}, not Persian right-to-left")
        if phone.js_errors:
            found.append(f"JavaScript errors: {phone.js_errors}")
            phone.js_errors.clear()
        if found:
            problems[f"{name} ({phone.url})"] = found

    for name, who, url in _pages(world):
        if who is not None:
            sign_in(who)
        response = phone.goto(url)
        assert response.status == 200, f"{name}: HTTP {response.status}"
        audit(name)

    # A rejected sign-up shows its errors without breaking labels, contrast or the layout.
    phone.context.clear_cookies()
    phone.goto("/accounts/signup/")
    phone.fill("input[name=phone]", "۰۹۱۲")
    with phone.expect_navigation():
        phone.locator("main form button[type=submit]").click()
    assert phone.locator(".field-error, .form-errors").count() > 0, (
        f"no error shown for a bad phone number; the page says: {phone.locator('main').inner_text()[:300]}"
    )
    audit("sign-up with errors")

    assert problems == {}, "\n".join(f"{page}:\n    " + "\n    ".join(found) for page, found in problems.items())


# --- keyboard ------------------------------------------------------------------------------
def tab_stops(page, limit: int = 150) -> list[dict]:
    """Tab through the whole page once, from the top, describing each focused element."""
    stops: list[dict] = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        stop = page.evaluate(FOCUSED_JS)
        if stop is None or (stops and stop["element"] == stops[0]["element"]):
            break
        stops.append(stop)
    return stops


def test_skip_link_comes_first_and_every_tab_stop_shows_focus(world, sign_in, phone):
    """Tab through the busiest page (header, comments, support, follow, footer), signed out and in."""
    url = world.project.get_absolute_url()
    phone.goto(url)
    phone.keyboard.press("Tab")
    first = phone.evaluate(FOCUSED_JS)
    assert first is not None and first["isSkipLink"], f"the first Tab stop is {first and first['element']}"
    assert phone.locator(".skip-link").inner_text() == "رفتن به محتوا"
    phone.keyboard.press("Enter")
    assert phone.evaluate("document.activeElement.id") == "main", "the skip link does not move focus to <main>"
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.closest('main') !== null"), "Tab after the skip link left <main>"

    problems = []
    for who in (None, world.citizen):
        if who is not None:
            sign_in(who)
        phone.goto(url)
        stops = tab_stops(phone)
        assert len(stops) >= 10, f"only {len(stops)} Tab stops on {url}: {[stop['element'] for stop in stops]}"
        problems += [f"{stop['element']} {focus_problem(stop)}" for stop in stops if focus_problem(stop)]
    assert problems == [], "focus is not visible:\n  " + "\n  ".join(problems)


def assert_focus_on(page, selector: str, after: str) -> None:
    """Wait briefly for ``selector`` to hold focus (htmx focuses after it settles), else say where focus went."""
    try:
        page.wait_for_function(
            "(s) => document.activeElement && document.activeElement.matches(s)", arg=selector, timeout=3_000
        )
    except PlaywrightTimeout:
        focused = page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 120) : null")
        raise AssertionError(f"focus lost after {after}: it is on {focused}, not {selector}") from None


def test_keyboard_focus_survives_htmx_answers(world, sign_in, phone):
    """Support, follow, comment and report answer in place (htmx) without dropping focus back to the top."""
    sign_in(world.citizen)
    url = world.project.get_absolute_url()
    phone.goto(url)

    # The pressed button comes back in its new state and keeps the focus.
    for button, new_label in [("#support button", "پس گرفتن حمایت"), (".follow-form button", "لغو دنبال کردن")]:
        tab_to(phone, f"main {button}", limit=150)
        phone.keyboard.press("Enter")
        phone.locator(button).filter(has_text=new_label).wait_for()
        assert_focus_on(phone, button, f"pressing {button}")

    # A comment typed and sent by keyboard: focus lands on the outcome, which is read out.
    phone.goto(url)
    tab_to(phone, "main textarea[name=text]", limit=60)
    phone.keyboard.type("نظر با صفحه‌کلید")
    tab_to(phone, "#comment-submit", limit=3)
    phone.keyboard.press("Enter")
    note = phone.locator("#comments [role=status]")
    note.wait_for()
    assert "بازبین" in note.inner_text()
    assert_focus_on(phone, "#comments [role=status]", "sending a comment")

    # Reporting someone else's comment: the form opens after the link, and the thank-you takes the focus.
    # The swapped-in comments are enhanced by htmx once it settles; a key pressed before that follows
    # the plain link (the no-script page), which is not what this step checks.
    phone.wait_for_function(
        "() => { const link = document.querySelector(\"main a[href$='/flag/']\");"
        " return link && link['htmx-internal-data'] && !document.querySelector('.htmx-settling, .htmx-request'); }"
    )
    tab_to(phone, "main a[href$='/flag/']", limit=60)
    phone.keyboard.press("Enter")
    phone.locator(".flag-slot .flag-form").wait_for()
    # The form arrived by htmx; it posts by htmx only once htmx has settled and enhanced it.
    phone.wait_for_function(
        "() => { const form = document.querySelector('.flag-slot .flag-form');"
        " return form && form['htmx-internal-data'] && !document.querySelector('.htmx-settling, .htmx-request'); }"
    )
    tab_to(phone, ".flag-form select[name=reason]", limit=2)
    tab_to(phone, ".flag-form button[type=submit]", limit=3)
    phone.keyboard.press("Enter")
    phone.locator(".flag-slot [role=status]").wait_for()
    assert_focus_on(phone, ".flag-slot [role=status]", "reporting a comment")


def test_navigation_language_switch_and_sign_in_with_the_keyboard_alone(world, phone):
    for link, heading in [("/projects/", "پروژه"), ("/organizations/", "سمن"), ("/neighborhoods/", "محلات")]:
        phone.goto("/")
        tab_to(phone, f"nav.main-nav a[href='{link}']")
        with phone.expect_navigation():
            phone.keyboard.press("Enter")
        assert phone.url.endswith(link)
        assert heading in phone.locator("h1").inner_text()
        assert phone.locator(f"nav.main-nav a[href='{link}']").get_attribute("aria-current") == "page"

    # The language switcher: to English and back, staying on the same page.
    html = phone.locator("html")
    tab_to(phone, "button[name=language][value=en]")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("en", "ltr")
    assert phone.url.endswith("/neighborhoods/")
    assert phone.locator("nav.main-nav").inner_text().split() == ["Projects", "Organisations", "Neighbourhoods"]
    assert layout_problems(phone) == [], "the English (left-to-right) layout does not fit a phone"
    tab_to(phone, "button[name=language][value=fa]")
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert (html.get_attribute("lang"), html.get_attribute("dir")) == ("fa", "rtl")
    assert phone.url.endswith("/neighborhoods/")

    # The sign-in form: Tab to each field, type, Tab to the button, Enter.
    phone.goto("/accounts/login/?next=/notifications/")
    tab_to(phone, "main input[name=username]")
    phone.keyboard.type(world.citizen.phone)
    phone.keyboard.press("Tab")
    assert phone.evaluate("document.activeElement.name") == "password", "Tab from the username skips the password"
    phone.keyboard.type(factories.PASSWORD)
    tab_to(phone, "main form button[type=submit]", limit=5)
    with phone.expect_navigation():
        phone.keyboard.press("Enter")
    assert phone.url.endswith("/notifications/"), f"signing in by keyboard ended on {phone.url}"
    assert phone.locator("header button", has_text="خروج").is_visible()
