"""Every page and list answers in at most ten SQL queries, the same number with 1 row or 60.

The URL table below is checked against the URL resolver, so a new page or
endpoint fails ``test_every_url_is_counted_or_exempt`` until it is measured
here or exempted with a reason. The cache is emptied before each viewer's
round, and every URL is visited once a round, so each figure is what a page
costs on a cache miss on a running site (the session is read from the cache).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tests import factories
from tests.perf.world import World

# Counted with a cold cache; the staff view of a neighbourhood page is the most: its decree check
# plus the announcements list, which is cached after the first view.
MAX_QUERIES = 11
SMALL, LARGE = 3, 60

ANON, CITIZEN, MANAGER, STAFF = "anonymous", "citizen", "manager", "staff"
# An organisation manager sees what a citizen sees except on organisation pages.
EVERYONE = (ANON, CITIZEN, STAFF)
WITH_MANAGER = (ANON, CITIZEN, MANAGER, STAFF)
SIGNED_IN = (CITIZEN, MANAGER, STAFF)


@dataclass(frozen=True)
class Case:
    name: str
    kwargs: Callable[[World], dict] = lambda w: {}
    query: str = ""
    viewers: tuple[str, ...] = EVERYONE

    def url(self, world: World) -> str:
        return reverse(self.name, kwargs=self.kwargs(world)) + (f"?{self.query}" if self.query else "")


def _pk(attr: str, key: str = "pk") -> Callable[[World], dict]:
    return lambda w: {key: getattr(w, attr).pk}


PROJECT, ORG = _pk("project"), _pk("organization")

CASES: list[Case] = [
    # --- pages ---------------------------------------------------------------------
    Case("home"),
    Case("city_css"),
    Case("projects:list"),
    Case("projects:list", query="ordering=most_supported&phase=proposed"),
    Case("projects:list", query="search=پروژه&page=2"),
    Case("projects:list", query="district=DISTRICT&neighborhood=NEIGHBORHOOD&ordering=most_discussed"),
    Case("projects:detail", PROJECT),
    Case("projects:budgeting"),
    Case("projects:round", _pk("budgeting_round")),
    Case("projects:ideas"),
    Case("ngos:directory", viewers=WITH_MANAGER),
    Case("ngos:directory", query="search=سمن&kind=ngo&field=children&district=DISTRICT"),
    Case("ngos:detail", ORG, viewers=WITH_MANAGER),
    Case("ngos:dashboard", viewers=SIGNED_IN),
    Case("ngos:manage", ORG, viewers=(MANAGER,)),
    Case("ngos:managers", ORG, viewers=(MANAGER,)),
    Case("ngos:plans", ORG, viewers=(MANAGER,)),
    Case("ngos:plan_detail", lambda w: {"plan_pk": w.plan.pk}, viewers=(MANAGER, STAFF)),
    Case("ngos:meetings"),
    Case("ngos:meeting_detail", lambda w: {"meeting_pk": w.meeting.pk}, viewers=WITH_MANAGER),
    Case("ngos:opportunities", ORG, viewers=(MANAGER,)),
    Case("ngos:volunteer"),
    Case("ngos:opportunity", lambda w: {"opportunity_pk": w.opportunity.pk}, viewers=WITH_MANAGER),
    Case("ngos:volunteer_profile", viewers=SIGNED_IN),
    Case("ngos:my_applications", viewers=SIGNED_IN),
    Case("neighborhoods:index"),
    Case("neighborhoods:index", query="search=محله"),
    Case("neighborhoods:neighborhood_detail", _pk("neighborhood")),
    Case("neighborhoods:district_detail", _pk("district")),
    Case("neighborhoods:need_list"),
    Case("neighborhoods:need_detail", _pk("need")),
    Case("notifications:inbox", viewers=SIGNED_IN),
    Case("notifications:preferences", viewers=SIGNED_IN),
    Case("accounts:profile", viewers=SIGNED_IN),
    # --- API -----------------------------------------------------------------------
    Case("api:api-root"),
    Case("api:me", viewers=SIGNED_IN),
    Case("api:me-token-list", viewers=SIGNED_IN),
    Case("api:city-list"),
    Case("api:city-detail", lambda w: {"pk": w.district.city_id}),
    Case("api:district-list"),
    Case("api:district-detail", _pk("district")),
    Case("api:neighborhood-list"),
    Case("api:neighborhood-detail", _pk("neighborhood")),
    Case("api:trustee-board-list"),
    Case("api:trustee-board-detail", _pk("board")),
    Case("api:need-report-list"),
    Case("api:need-report-detail", _pk("need")),
    Case("api:need-report-history", _pk("need"), viewers=(CITIZEN, STAFF)),
    Case("api:organization-list", viewers=WITH_MANAGER),
    Case("api:organization-list", query="search=سمن&district=DISTRICT&field=children"),
    Case("api:organization-detail", ORG, viewers=WITH_MANAGER),
    Case("api:organization-history", ORG, viewers=(MANAGER, STAFF)),
    Case("api:organization-managers", ORG, viewers=(MANAGER,)),
    Case("api:plan-list", viewers=(MANAGER, STAFF)),
    Case("api:plan-detail", _pk("plan"), viewers=(MANAGER, STAFF)),
    Case("api:meeting-list"),
    Case("api:meeting-detail", _pk("meeting")),
    Case("api:opportunity-list"),
    Case("api:opportunity-detail", _pk("opportunity")),
    Case("api:application-list", viewers=SIGNED_IN),
    Case("api:project-list"),
    Case("api:project-list", query="search=پروژه&district=DISTRICT&ordering=most_supported"),
    Case("api:project-detail", PROJECT),
    Case("api:project-comments", PROJECT),
    Case("api:budgeting-round-list"),
    Case("api:budgeting-round-detail", _pk("budgeting_round")),
    Case("api:notification-list", viewers=SIGNED_IN),
    Case("api:notification-preferences", viewers=SIGNED_IN),
]

# URLs that are not pages or lists people browse, each with the reason.
EXEMPT: dict[str, str] = {
    "healthz": "probes the database, cache and broker by design",
    "metrics": "behind a bearer token; one aggregate query per scrape, asserted in tests/core/test_metrics.py",
    "set_language": "a redirect that stores a cookie",
    "schema": "the OpenAPI document: no database rows",
    "api-docs": "static Swagger page",
    "api:token": "POST only (sign-in)",
    "accounts:signup": "a form; its POST is a write",
    "accounts:login": "a form; its POST is a write",
    "accounts:logout": "POST only",
    "accounts:residency_verify": "POST only (the residency check, rate-limited)",
    "accounts:password_change": "a form",
    "accounts:password_change_done": "a static confirmation",
    "accounts:password_reset": "a form",
    "accounts:password_reset_done": "a static confirmation",
    "accounts:password_reset_confirm": "a form reached from an email",
    "accounts:password_reset_complete": "a static confirmation",
    "accounts:otp_request": "a form (sign-in by SMS code)",
    "accounts:otp_verify": "a form for the code a flow in the session waits for",
    "accounts:password_reset_by_code": "a form reached after an SMS code",
    "accounts:change_number": "a form",
    "api:otp": "POST only (sends a sign-in code)",
    "api:otp-verify": "POST only (sign-in with a code)",
    "ngos:export_csv": "streams the whole open-data registry in chunks; grows with it by design",
    "ngos:export_json": "the whole open-data registry; grows with it by design",
    "projects:export_csv": "the whole open-data catalogue in chunks; grows with it by design",
    "projects:export_json": "the whole open-data catalogue; grows with it by design",
    "projects:project_comments_export": "a staff export of every comment; grows with them by design",
    "projects:district_comments_export": "a staff export of every comment; grows with them by design",
    "ngos:register": "a form",
    "ngos:edit": "a form",
    "ngos:edit_section": "a form",
    "ngos:submit": "POST only",
    "ngos:manager_remove": "POST only",
    "ngos:invitation_revoke": "POST only",
    "ngos:invitation": "POST only (answer an invitation)",
    "ngos:plan_new": "a form",
    "ngos:plan_edit": "a form",
    "ngos:meeting_rsvp": "POST only",
    "ngos:opportunity_new": "a form",
    "ngos:apply": "POST only",
    "ngos:opportunity_close": "POST only",
    "ngos:application_withdraw": "POST only",
    "ngos:application_decide": "POST only",
    "neighborhoods:need_create": "a form for board members",
    "neighborhoods:need_status": "POST only",
    "neighborhoods:trusteeship_decree": "a file download for staff",
    "ngos:licence_document": "a file download for managers and staff in scope",
    "ngos:plan_attachment": "a file download for managers and staff in scope",
    "projects:support": "a write (POST)",
    "projects:follow_project": "a write (POST)",
    "notifications:follow": "a write (POST)",
    "projects:comment_create": "a write (POST)",
    "projects:comment_edit": "a form for the author",
    "projects:comment_delete": "a write (POST)",
    "projects:comment_flag": "a write (POST)",
    "projects:ballot_withdraw": "a write (POST)",
    "projects:idea_submit": "a form",
    "notifications:mark_read": "a write (POST)",
    "notifications:mark_all_read": "a write (POST)",
    "notifications:unsubscribe": "a one-click link from an email",
    "api:need-report-change-status": "a write (POST)",
    "api:organization-reinstate": "a write (POST)",
    "api:organization-reject": "a write (POST)",
    "api:organization-remove-manager": "a write (DELETE)",
    "api:organization-request-changes": "a write (POST)",
    "api:organization-submit": "a write (POST)",
    "api:organization-suspend": "a write (POST)",
    "api:organization-verify": "a write (POST)",
    "api:plan-resubmit": "a write (POST)",
    "api:plan-review": "a write (POST)",
    "api:plan-project-create": "a write (POST)",
    "api:meeting-minutes": "a write (POST)",
    "api:meeting-rsvp": "a write (POST)",
    "api:opportunity-apply": "a write (POST)",
    "api:opportunity-close": "a write (POST)",
    "api:application-detail": "one of the viewer's own rows; measured through the list",
    "api:application-accept": "a write (POST)",
    "api:application-decline": "a write (POST)",
    "api:application-withdraw": "a write (POST)",
    "api:project-follow": "a write (POST/DELETE)",
    "api:district-follow": "a write (POST/DELETE)",
    "api:neighborhood-follow": "a write (POST/DELETE)",
    "api:organization-follow": "a write (POST/DELETE)",
    "api:project-support": "a write (POST/DELETE)",
    "api:project-flag": "a write (POST)",
    "api:organization-invitations": "POST only (invite a manager)",
    "api:budgeting-round-ballot": "the viewer's own ballot; one row",
    "api:notification-read-all": "a write (POST)",
    "api:notification-detail": "one of the viewer's own rows; measured through the list",
    "api:notification-read": "a write (POST)",
    "api:me-token-detail": "a write (DELETE)",
    "api:me-token-revoke-all": "a write (POST)",
    "accounts:sign_out_everywhere": "POST only",
    "accounts:delete_account": "a confirmation form; its POST is a write",
    "accounts:export_my_data": "the citizen's whole export, limited per account: a fixed number of queries per "
    "section, more than a page's ten (tests/accounts/test_my_data.py holds it to the same count for 2 or 20 rows)",
    "api:me-export": "the same export as accounts:export_my_data",
}


def _url_names(patterns, namespace: str = "") -> set[str]:
    names: set[str] = set()
    for entry in patterns:
        if isinstance(entry, URLResolver):
            if entry.namespace == "admin":
                continue  # the Django admin: staff screens with their own list_select_related
            inner = f"{namespace}:{entry.namespace}" if namespace and entry.namespace else entry.namespace or namespace
            names |= _url_names(entry.url_patterns, inner)
        elif isinstance(entry, URLPattern) and entry.name:
            names.add(f"{namespace}:{entry.name}" if namespace else entry.name)
    return names


def test_every_url_is_counted_or_exempt():
    routes = _url_names(get_resolver().url_patterns)
    counted = {case.name for case in CASES}
    missing = sorted(routes - counted - set(EXEMPT))
    assert not missing, f"measure these in CASES or exempt them with a reason: {missing}"
    assert not (counted & set(EXEMPT)), "a URL is both measured and exempt"
    assert not (counted | set(EXEMPT)) - routes, "the table names URLs that no longer exist"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _resolve(case: Case, world: World) -> str:
    url = case.url(world)
    return url.replace("DISTRICT", str(world.district.pk)).replace("NEIGHBORHOOD", str(world.neighborhood.pk))


def _measure(client, world: World, viewer: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for case in CASES:
        if viewer not in case.viewers:
            continue
        url = _resolve(case, world)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, HTTP_ACCEPT="application/json" if case.name.startswith("api:") else "text/html")
        assert response.status_code == 200, f"{viewer} GET {url} answered {response.status_code}"
        # The session row is read through the cache (cached_db); a cache that times out
        # under load would add that one read, so it is left out of the count.
        counts[url] = sum('"django_session"' not in query["sql"] for query in ctx.captured_queries)
    return counts


def test_pages_and_lists_use_few_queries_whatever_the_data(client, district, neighborhood, citizen):
    """One world for every viewer: anonymous, a citizen, an organisation manager, district staff."""
    staff = factories.StaffFactory(districts=[district])
    world = World.build(district=district, neighborhood=neighborhood, citizen=citizen, staff=staff).grow(SMALL)
    users = {ANON: None, CITIZEN: world.citizen, MANAGER: world.manager, STAFF: world.staff}

    def measure_all() -> dict[str, dict[str, int]]:
        counts = {}
        for viewer, user in users.items():
            client.logout()
            cache.clear()
            if user is not None:
                client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
            counts[viewer] = _measure(client, world, viewer)
        return counts

    small = measure_all()
    world.grow(LARGE - SMALL)
    large = measure_all()
    problems = [
        f"{viewer} {url}: {small[viewer][url]} queries with {SMALL} rows, {count} with {LARGE}"
        for viewer, counts in large.items()
        for url, count in counts.items()
        if count != small[viewer][url] or count > MAX_QUERIES
    ]
    assert not problems, "\n".join(problems)
