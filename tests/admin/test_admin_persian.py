"""Every admin page speaks Persian: Jalali dates, Persian digits, the glossary's words, no English, no internal fields.

The crawl walks ``admin.site._registry``, so an admin registered tomorrow is
crawled too: its changelist, add, change and history pages, one date
drill-down and one filter link, as a city admin and as district staff. Every
registered model has a row in ``admin_world`` (the first test says which one
is missing). The check reads what a person sees: text between tags, option
texts and button labels, never scripts, styles or attribute values.

What the data holds is the staff's own Persian text (Persian digits), except
the few machine values listed in ``MACHINE_TEXT``: shown as typed, by design.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import django
import polib
import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib import admin
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation

from accounts.identity import keyed_digest, network_key
from accounts.models import ApiToken
from accounts.residency.census import census_list_replace
from core.audit import action_label, log_action
from neighborhoods.models import (
    Announcement,
    AnnouncementAudience,
    AnnouncementStatus,
    NeedReportStatusChange,
    NeedStatus,
)
from ngos.models import LicenceReminder, OrganizationStatus, ReminderKind, StatusChange
from notifications.models import DigestFrequency, DigestRun
from projects.models import BudgetingResult, CommentStatus, FlaggedWord, Phase, ProjectImage, ProjectUpdate
from tests import factories
from tests.glossary import ruled_out_words

pytestmark = pytest.mark.django_db

# Machine text typed or recorded as it is: shown as stored, so it may carry Latin letters or ASCII digits.
MACHINE_TEXT = {
    "tehran": "a city's slug, the name of its pages' addresses",
    "info@example.org": "an e-mail address",
    "https://example.org/": "a website address",
    "192.0.2.10": "the address a sign-in came from (axes)",
    "Mozilla/5.0 (X11; Linux x86_64)": "the browser a sign-in came from (axes)",
    "text/html": "what that browser accepted (axes)",
    "/admin/login/": "the page signed in at (axes)",
    "/projects/1/": "the page a notification links to",
    "a1b2c3d4e5f6": "an API token's prefix, matched against the key its owner holds",
    "LIC-2025": "a licence number as the licensing office wrote it",
    "projects/park.png": "an uploaded photo's file name, in its file box",
    "ساکنان.csv": "the name of the census file the city uploaded",
    "<unknown>": "what axes records for a request without the header (the test client sends none)",
}
# A sign-up network is shown by its keyed label (never the address): staff compare it between accounts.
MACHINE_TEXT[network_key("192.0.2.10")] = "a sign-up network's keyed label"
# Names of formats and of the API, written so in Persian too.
LATIN_NAMES = {"API", "CSV", "XLSX", "PDF", "JPEG", "PNG"}

GREGORIAN_MONTHS = re.compile(
    r"\b(?:January|February|March|April|May|June|July|August|September|October|November|December"
    r"|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec"
    r"|ژانویه|فوریه|مارس|آوریل|مه|ژوئن|ژوئیه|اوت|سپتامبر|اکتبر|نوامبر|دسامبر)\b"
)
ASCII_DATE = re.compile(r"\b\d{4}-\d{1,2}-\d{1,2}\b|\b\d{1,2}/\d{1,2}/\d{4}\b")
ASCII_DIGITS = re.compile(r"[0-9]+")
ENGLISH_WORD = re.compile(r"[A-Za-z]{3,}")
# A field that is the portal's internal copy (search twins, raw keys) named anywhere in the page's form or table.
INTERNAL_FIELD = re.compile(
    r"""(?:field|column)-[\w]*_normalized|name="[\w-]*_normalized"|for="id_[\w-]*_normalized\""""
)


class VisibleText(HTMLParser):
    """The text a person reads on the page: text nodes, option texts and button labels; no scripts or styles."""

    SKIP = {"script", "style", "template"}

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self._skipping += 1
            return
        a = dict(attrs)
        if tag == "input" and (a.get("type") or "").lower() in {"submit", "button", "reset"} and a.get("value"):
            self.parts.append(a["value"])

    def handle_endtag(self, tag):
        if tag in self.SKIP and self._skipping:
            self._skipping -= 1

    def handle_data(self, data):
        if not self._skipping and data.strip():
            self.parts.append(data.strip())


def visible_text(html: str) -> str:
    parser = VisibleText()
    parser.feed(html)
    return "\n".join(parser.parts)


def _snippet(text: str, match: re.Match) -> str:
    return text[max(0, match.start() - 30) : match.end() + 30].replace("\n", " ⏎ ")


def problems_of(html: str) -> list[str]:
    """What is not Persian on one page, one line per finding."""
    found = [f"internal field shown: {m.group(0)}" for m in INTERNAL_FIELD.finditer(html)]
    text = visible_text(html)
    for value in MACHINE_TEXT:
        text = text.replace(value, " ")
    for name, pattern in (
        ("Gregorian month", GREGORIAN_MONTHS),
        ("Gregorian date", ASCII_DATE),
        ("ASCII digits", ASCII_DIGITS),
        ("English", ENGLISH_WORD),
    ):
        found += [
            f"{name}: {m.group(0)!r} in …{_snippet(text, m)}…"
            for m in pattern.finditer(text)
            if m.group(0) not in LATIN_NAMES
        ]
    return found + [f"not the glossary's word: {word}" for word in ruled_out_words(text)]


# --- a city with one of everything -------------------------------------------------------
def _log_history(user, obj) -> None:
    """A change in the object's history page, recorded as the admin records one: its form label, untranslated."""
    with translation.override(None):
        field = next(f for f in obj._meta.concrete_fields if f.editable and not f.primary_key)
        label = str(field.formfield().label)
    LogEntry.objects.log_actions(user.pk, [obj], CHANGE, change_message=[{"changed": {"fields": [label]}}])


@pytest.fixture
def admin_world(settings, tmp_path):
    """Demo-like rows for every registered admin, in one district both personas serve."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    city = factories.CityFactory(name="تهران", slug="tehran")
    district = factories.DistrictFactory(city=city, name="منطقهٔ شش", number=6)
    area = factories.AreaFactory(district=district, name="ناحیهٔ یک")
    hood = factories.NeighborhoodFactory(area=area, name="محلهٔ گلستان")
    city_admin = factories.CityAdminFactory(display_name="مریم مدیر شهر", staff_city=city, phone="+989120000001")
    staff = factories.StaffFactory(districts=[district], display_name="علی کارشناس منطقه", phone="+989120000002")
    citizen = factories.UserFactory(display_name="زهرا شهروند", home_neighborhood=hood, phone="+989120000003")
    citizen.email = "info@example.org"
    citizen.signup_network = network_key("192.0.2.10")
    citizen.save(update_fields=["email", "signup_network"])

    factories.CityParticipationSettingsFactory(city=city)
    group = Group.objects.create(name="ویراستاران")
    group.permissions.set(Permission.objects.filter(codename__in=["view_project", "change_project"]))
    ApiToken.objects.create(user=citizen, prefix="a1b2c3d4e5f6", digest="۰" * 4, name="گوشی همراه")
    attempt_time = timezone.now() - dt.timedelta(days=3)
    machine = {
        "user_agent": "Mozilla/5.0 (X11; Linux x86_64)",
        "ip_address": "192.0.2.10",
        "username": "۰۹۱۲۰۰۰۰۰۰۳",
        "http_accept": "text/html",
        "path_info": "/admin/login/",
    }
    AccessAttempt.objects.create(**machine, get_data="", post_data="", failures_since_start=3)
    AccessLog.objects.create(**machine)
    AccessFailureLog.objects.create(**machine, locked_out=True)
    AccessAttempt.objects.update(attempt_time=attempt_time)

    factories.NeighborhoodHouseFactory(
        neighborhood=hood, name="سرای محلهٔ گلستان", address="خیابان بهار، پلاک ۱۲", phone="۰۲۱-۵۵۰۰۱۲۳۴"
    )
    board = factories.TrusteeBoardFactory(neighborhood=hood)
    factories.TrusteeshipFactory(
        board=board, member_name="حسن امینی", decree_number="۱۴۰۲/۱۵/د", decree_issuer="شهردار منطقه"
    )
    report = factories.NeedReportFactory(
        neighborhood=hood, reporter=citizen, title="قطعی آب کوچهٔ یاس", description="از دیروز آب نداریم."
    )
    NeedReportStatusChange.objects.create(
        report=report, actor=staff, from_status=NeedStatus.REPORTED, to_status=NeedStatus.REPORTED, note="دیده شد"
    )
    Announcement.objects.create(
        district=district,
        neighborhood=hood,
        audience=AnnouncementAudience.BOTH,
        title="قطعی آب روز پنجشنبه",
        body="آب محله روز پنجشنبه از ساعت ۹ تا ۱۳ قطع است.",
        status=AnnouncementStatus.AWAITING_APPROVAL,
        author=staff,
        recipient_count=1240,
        sms_count=415,
    )

    org_text = {
        "city": city,
        "managing_director": "رضا کریمی",
        "board_members": "رضا کریمی\nسارا احمدی",
        "address": "خیابان بهار، پلاک ۱۲",
        "phone": "۰۲۱-۵۵۰۰۱۲۳۴",
        "email": "info@example.org",
        "website": "https://example.org/",
        "summary": "کمک به کودکان محله",
        "description": "انجمنی برای کودکان محلهٔ گلستان",
        "districts": [district],
        "neighborhoods": [hood],
    }
    org = factories.VerifiedOrganizationFactory(
        name="انجمن مهر", licence_number="LIC-2025", registration_number="۱۴۰۰۱۲۳", **org_text
    )
    queued = factories.OrganizationFactory(
        name="انجمن سپیدار",
        status=OrganizationStatus.SUBMITTED,
        licence_number="۲۰۲۶",
        registration_number="۱۴۰۰۱۲۴",
        **org_text,
    )
    for organization, (before, after) in ((org, ("submitted", "verified")), (queued, ("draft", "submitted"))):
        StatusChange.objects.create(
            organization=organization, from_status=before, to_status=after, actor=staff, note="بررسی شد"
        )
    LicenceReminder.objects.create(
        organization=org, kind=ReminderKind.choices[0][0], expiry_date=timezone.localdate() + dt.timedelta(days=30)
    )
    plan = factories.PlanFactory(
        organization=org, title="طرح بازی کودکان", description="برنامهٔ تابستان", target_neighborhoods=[hood]
    )
    plan.submitted_at = timezone.now()
    plan.save(update_fields=["submitted_at"])
    factories.MeetingFactory(city=city, district=district, title="نشست شورا", place="سرای محله", agenda="بودجه")
    opportunity = factories.OpportunityFactory(
        organization=org, title="کاشت درخت", description="با ما درخت بکارید", place="بوستان لاله"
    )
    factories.ApplicationFactory(opportunity=opportunity, volunteer=citizen, message="می‌آیم")

    project = factories.ProjectFactory(
        district=district,
        title="بازسازی بوستان لاله",
        description="نیمکت‌ها و چراغ‌ها نو می‌شوند.",
        responsible_unit="معاونت خدمات شهری",
        proposer_name="شورایاری",
        neighborhoods=[hood],
        phase=Phase.UNDER_REVIEW,
    )
    factories.PhaseChangeFactory(project=project, from_phase=Phase.PROPOSED, to_phase=Phase.UNDER_REVIEW, note="آغاز")
    ProjectUpdate.objects.create(project=project, author=staff, text="کار آغاز شد")
    ProjectImage.objects.create(project=project, image="projects/park.png", caption="بوستان", position=1)
    comment = factories.CommentFactory(project=project, author=citizen, text="چه خوب!")
    flagged = factories.CommentFactory(
        project=project, author=citizen, text="نظر گزارش‌شده", status=CommentStatus.PENDING
    )
    factories.CommentFlagFactory(comment=flagged, user=staff, note="توهین")
    FlaggedWord.objects.create(city=city, word="ناسزا")
    cycle = factories.BudgetingCycleFactory(city=city, title="بودجه‌ریزی مشارکتی امسال")
    budgeting = factories.BudgetingRoundFactory(
        district=district,
        cycle=cycle,
        title="بودجهٔ محله‌ای",
        description="انتخاب طرح‌ها",
        eligible_projects=[project],
    )
    census_list_replace(
        actor=city_admin,
        city=city,
        entries=[(keyed_digest("national_code", "0013542419"), hood.pk)],
        file_name="ساکنان.csv",
    )
    BudgetingResult.objects.create(round=budgeting, project=project, ballots=12, rank=1, budget=1_000_000, funded=True)
    idea_round = factories.IdeaRoundFactory(city=city, title="فراخوان ایده", description="ایده بدهید")
    factories.IdeaFactory(
        neighborhood=hood, round=idea_round, author=citizen, title="آب‌خوری", description="یک آب‌خوری بگذارید"
    )

    notification = factories.NotificationFactory(
        recipient=citizen, subject="پاسخ به نظر شما", body="پاسخی رسید", url="/projects/1/", target_repr="بوستان"
    )
    DigestRun.objects.create(
        user=citizen,
        frequency=DigestFrequency.DAILY,
        period_start=timezone.localdate() - dt.timedelta(days=1),
        period_end=timezone.localdate(),
        notification=notification,
    )

    log_action(actor=staff, action="project.changed", target=project, changes={"phase": ["proposed", "under_review"]})
    log_action(actor=staff, action="organization.verified", target=org, note="مدارک کامل است")
    for obj in (project, comment, org, board, report, hood, budgeting, plan):
        _log_history(staff, obj)
    return {"city admin": city_admin, "district staff": staff}


def test_every_registered_model_has_a_row_to_open(admin_world):
    request = RequestFactory().get("/admin/")
    request.user = admin_world["city admin"]
    empty = [
        model._meta.label
        for model, model_admin in admin.site._registry.items()
        if not model_admin.get_queryset(request).exists()
    ]
    assert not empty, f"add a row of these to admin_world, so their change pages are crawled: {empty}"


# --- the crawl ------------------------------------------------------------------------
class Links(HTMLParser):
    """A changelist's first date drill-down link, first filter choice and its "show counts" link."""

    def __init__(self):
        super().__init__()
        self.found: dict[str, str] = {}
        self._where: list[str] = []
        self._selected = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in {"nav", "div"}:
            classes = (a.get("class") or "").split()
            kind = "hierarchy" if "toplinks" in classes else "filter" if a.get("id") == "changelist-filter" else ""
            self._where.append(kind or (self._where[-1] if self._where else ""))
        elif tag == "li":
            self._selected = "selected" in (a.get("class") or "")
        elif (
            tag == "a" and self._where and self._where[-1] and a.get("href", "").startswith("?") and not self._selected
        ):
            href = a["href"]
            kind = "facets" if "_facets" in href else self._where[-1]
            self.found.setdefault(kind, href)

    def handle_endtag(self, tag):
        if tag in {"nav", "div"} and self._where:
            self._where.pop()


def _pages(client, user) -> list[tuple[str, str]]:
    """(url, page) for the index and every admin page of every registered model ``user`` may open."""
    request = RequestFactory().get("/admin/")
    request.user = user
    pages: list[tuple[str, str]] = []

    def get(url: str) -> str | None:
        response = client.get(url)
        if response.status_code != 200:
            pages.append((url, f"status {response.status_code}"))
            return None
        html = response.content.decode()
        pages.append((url, html))
        return html

    get(reverse("admin:index"))
    visible = {
        model: model_admin
        for model, model_admin in admin.site._registry.items()
        if model_admin.has_module_permission(request) and model_admin.has_view_permission(request)
    }
    for app_label in sorted({model._meta.app_label for model in visible}):
        get(reverse("admin:app_list", args=[app_label]))
    for model, model_admin in visible.items():
        info = (model._meta.app_label, model._meta.model_name)
        changelist = reverse("admin:{}_{}_changelist".format(*info))
        html = get(changelist)
        if html is not None:
            links = Links()
            links.feed(html)
            for link in links.found.values():
                get(urljoin(changelist, link))
        if model_admin.has_add_permission(request):
            get(reverse("admin:{}_{}_add".format(*info)))
        obj = model_admin.get_queryset(request).order_by("pk").first()
        if obj is not None:
            get(reverse("admin:{}_{}_change".format(*info), args=[obj.pk]))
            get(reverse("admin:{}_{}_history".format(*info), args=[obj.pk]))
    return pages


@pytest.mark.parametrize("persona", ["city admin", "district staff"])
def test_every_admin_page_is_persian_with_jalali_dates(admin_world, client, persona):
    user = admin_world[persona]
    client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    pages_of: dict[str, list[str]] = {}  # the same finding (the side menu's) is reported once, with its pages
    for url, html in _pages(client, user):
        findings = [html] if html.startswith("status ") else problems_of(html)
        for finding in findings:
            pages_of.setdefault(finding, []).append(url)
    report = [
        f"{finding}\n    on {', '.join(urls[:3])}{f' and {len(urls) - 3} more pages' if len(urls) > 3 else ''}"
        for finding, urls in pages_of.items()
    ]
    assert not report, f"{len(report)} things on admin pages are not Persian:\n" + "\n".join(report)


# --- the admin's scripts ----------------------------------------------------------------
def test_the_admin_scripts_have_every_message_in_persian(admin_world, client):
    """Django's admin scripts ("0 of 54 selected", "Choose all") read the catalogue the admin loads."""
    client.force_login(admin_world["district staff"], backend="accounts.backends.PhoneOrEmailBackend")
    changelist = client.get(reverse("admin:projects_project_changelist")).content.decode()
    jsi18n = reverse("admin:jsi18n")
    assert f'src="{jsi18n}"' in changelist
    script = client.get(jsi18n).content.decode()
    catalogue = json.loads(re.search(r"const newcatalog = (\{.*?\});\n", script, re.S).group(1))
    source = Path(django.__file__).parent / "contrib/admin/locale/en/LC_MESSAGES/djangojs.po"
    missing = []
    for entry in polib.pofile(str(source)):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if not catalogue.get(key):
            missing.append(key)
    assert not missing, f"admin script messages with no Persian translation: {missing}"


# --- the audit trail's actions ------------------------------------------------------------
ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "places", "accounts", "neighborhoods", "ngos", "projects", "notifications")


def _logged_actions() -> set[str]:
    """Every action code the portal's code writes to the audit trail (literal, or one of two literals)."""
    codes: set[str] = set()
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if not (isinstance(node, ast.Call) and getattr(node.func, "id", None) in {"log_action", "log_actions"}):
                    continue
                for keyword in node.keywords:
                    if keyword.arg != "action":
                        continue
                    values = (
                        [keyword.value.body, keyword.value.orelse]
                        if isinstance(keyword.value, ast.IfExp)
                        else [keyword.value]
                    )
                    codes |= {value.value for value in values if isinstance(value, ast.Constant)}
    return codes


def test_every_audit_action_reads_in_persian():
    """Staff read each action of the trail by a Persian label, never its code (``project.phase_changed``)."""
    from ngos.models import PlanStatus
    from ngos.services.lifecycle import TRANSITIONS
    from projects.models import Project

    codes = _logged_actions()
    assert "project.phase_changed" in codes  # the scan still finds what services write
    codes |= {f"organization.{action}" for action in TRANSITIONS.values()}
    codes |= {f"plan.{status}" for status in PlanStatus.values if status != PlanStatus.SUBMITTED} | {"plan.submitted"}
    record_type = ContentType.objects.get_for_model(Project)
    unnamed = []
    with translation.override("fa"):
        for code in sorted(codes):
            label = action_label(code, record_type)
            if label == code or ENGLISH_WORD.search(label.replace("API", "")):
                unnamed.append(f"{code}: {label}")
    assert not unnamed, (
        f"register a Persian label for these audit actions (core.audit.register_action_labels): {unnamed}"
    )


# --- Jalali drill-down and date filters -------------------------------------------------
def test_the_date_drill_down_walks_jalali_years_and_months(admin_world, client):
    """Nowruz 1404 began at 20:30 UTC on 20 March 2025: the drill-down splits the rows there, not on 1 January."""
    citizen = factories.UserFactory(phone="+989120000099")
    nowruz = dt.datetime(2025, 3, 20, 20, 30, tzinfo=dt.UTC)
    for moment, subject in ((nowruz - dt.timedelta(minutes=31), "پیش از نوروز"), (nowruz, "نوروز")):
        factories.NotificationFactory(recipient=citizen, subject=subject, created_at=moment)
    client.force_login(admin_world["city admin"], backend="accounts.backends.PhoneOrEmailBackend")
    changelist = reverse("admin:notifications_notification_changelist")
    years = client.get(changelist, {"recipient__id__exact": citizen.pk}).content.decode()
    assert "created_at__year=1403" in years and "created_at__year=1404" in years
    new_year = client.get(changelist, {"created_at__year": "1404", "created_at__month": "1"}).content.decode()
    assert "نوروز" in new_year and "پیش از نوروز" not in new_year
    assert "۱ فروردین ۱۴۰۴" in visible_text(new_year)
    old_year = client.get(changelist, {"created_at__year": "1403", "created_at__month": "12"}).content.decode()
    assert "پیش از نوروز" in old_year
    # A year that is no Jalali year is refused like any wrong lookup, not a server error.
    assert client.get(changelist, {"created_at__year": "2025"}).status_code == 302


def test_this_month_in_a_date_filter_is_the_jalali_month(admin_world, client):
    from django.utils.http import urlencode

    from core.jalali import jalali_parts, jalali_period

    client.force_login(admin_world["city admin"], backend="accounts.backends.PhoneOrEmailBackend")
    page = client.get(reverse("admin:axes_accessattempt_changelist")).content.decode()
    today = jalali_parts(timezone.localdate())
    start, end = (
        timezone.make_aware(dt.datetime.combine(day, dt.time.min)) for day in jalali_period(today.year, today.month)
    )
    expected = urlencode({"attempt_time__gte": str(start), "attempt_time__lt": str(end)}).replace("&", "&amp;")
    assert expected in page
