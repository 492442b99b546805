"""IDOR sweep: for every page and API route that names an object, a second person of the
same role gets 403 or 404 (405 where the method does not exist), never the data, for
reads of private objects and for every write; the owner, asked the same, is let in.

Routes are read from the URL resolver: a new object-level route fails
``test_every_object_route_is_in_the_sweep`` until it has an entry here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import pytest
from django.contrib.admin import site as admin_site
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from rest_framework.test import APIClient

from core.forms import format_jalali_date
from ngos.models import Organization
from notifications.models import Channel
from projects.models import Comment
from tests.security.routes import Route, all_routes, close_quietly, object_routes, page_kwargs
from tests.security.scene import World, build_world

DENIED = {403, 404}
NO_SUCH_METHOD = {405}
BACKEND = "accounts.backends.PhoneOrEmailBackend"


@dataclass(frozen=True)
class Private:
    """Only ``owner`` may use the route with these methods; ``intruders`` (same role, elsewhere) may not."""

    owner: str
    intruders: tuple[str, ...]
    methods: tuple[str, ...]
    obj: str | None = None  # a world object other than the route's default
    data: dict = field(default_factory=dict)


@dataclass(frozen=True)
class Open:
    """Reading is public on purpose, or the write acts on the caller's own record (support, follow, apply)."""

    why: str


def _data(w: World) -> dict[str, dict]:
    future = format_jalali_date(w.opportunity.date)
    return {
        "need": {"category": "water", "title": "لوله", "description": "ترکیدگی لوله"},
        "status": {"status": "referred", "agency": "آبفا", "note": "ارجاع"},
        "org_basic": {"name": "نام تازه", "summary": "خلاصه", "kind": "ngo"},
        "invite": {"phone": "09359990000"},
        "plan": {
            "title": "طرح تازه",
            "description": "شرح",
            "target_neighborhoods": [w.neighborhood.pk],
            "estimated_budget": 1000,
        },
        "opportunity": {"title": "فرصت", "description": "شرح", "place": "بوستان", "places": 3, "date": future},
        "rsvp": {"organization": w.organization.pk, "response": "attending"},
        "comment": {"text": "ویرایش شده"},
        "reason": {"note": "دلیل", "reason": "دلیل", "comment": "نظر", "decision": "approved"},
        "minutes": {"minutes": "صورت‌جلسه"},
    }


MANAGERS = ("manager", ("other_manager",))
STAFF = ("staff", ("other_staff",))
CITIZENS = ("citizen", ("other_citizen",))
TRUSTEES = ("trustee", ("other_trustee",))
GET, POST, PUT, PATCH, DELETE = "get", "post", "put", "patch", "delete"


def _p(who: tuple[str, tuple[str, ...]], methods: tuple[str, ...], obj: str | None = None, data: str = "") -> Private:
    return Private(owner=who[0], intruders=who[1], methods=methods, obj=obj, data={"_": data} if data else {})


SWEEP: dict[str, Open | list[Private]] = {
    # --- pages: neighbourhoods ---
    "neighborhoods:neighborhood_detail": Open("public neighbourhood page"),
    "neighborhoods:district_detail": Open("public district page"),
    "neighborhoods:need_detail": Open("need reports are public; the staff-only history is checked via the API"),
    "neighborhoods:need_create": [_p(TRUSTEES, (GET, POST), data="need")],
    "neighborhoods:need_status": [_p(STAFF, (POST,), data="status")],
    "neighborhoods:trusteeship_decree": [
        _p(STAFF, (GET,)),
        Private("staff", ("other_trustee", "trustee", "citizen"), (GET,)),
    ],
    # --- pages: organisations ---
    "ngos:detail": [_p(MANAGERS, (GET,), obj="draft")],
    "ngos:manage": [_p(MANAGERS, (GET,))],
    "ngos:edit": [_p(MANAGERS, (GET, POST), data="org_basic")],
    "ngos:edit_section": [_p(MANAGERS, (GET, POST))],
    "ngos:submit": [_p(MANAGERS, (POST,))],
    "ngos:licence_document": [
        _p(MANAGERS, (GET,)),
        Private("staff", ("other_staff", "citizen", "trustee"), (GET,)),
    ],
    "ngos:managers": [_p(MANAGERS, (GET, POST), data="invite")],
    "ngos:manager_remove": [_p(MANAGERS, (POST,))],
    "ngos:invitation_revoke": [_p(MANAGERS, (POST,))],
    "ngos:invitation": [_p(CITIZENS, (POST,))],
    "ngos:plans": [_p(MANAGERS, (GET,))],
    "ngos:plan_new": [_p(MANAGERS, (GET, POST), data="plan")],
    "ngos:plan_detail": [_p(MANAGERS, (GET,)), Private("staff", ("other_staff",), (GET,))],
    "ngos:plan_edit": [_p(MANAGERS, (GET, POST), data="plan")],
    "ngos:plan_attachment": [
        _p(MANAGERS, (GET,)),
        Private("staff", ("other_staff", "citizen", "trustee"), (GET,)),
    ],
    "ngos:meeting_detail": Open("meetings are announced publicly"),
    "ngos:meeting_rsvp": [_p(MANAGERS, (POST,), data="rsvp")],
    "ngos:opportunities": [_p(MANAGERS, (GET,))],
    "ngos:opportunity_new": [_p(MANAGERS, (GET, POST), data="opportunity")],
    "ngos:opportunity": Open("published volunteer opportunities are public"),
    "ngos:apply": Open("a volunteer applies for themself"),
    "ngos:opportunity_close": [_p(MANAGERS, (POST,))],
    "ngos:application_withdraw": [_p(CITIZENS, (POST,))],
    "ngos:application_decide": [_p(MANAGERS, (POST,))],
    # --- pages: projects ---
    "projects:detail": Open("public project page"),
    "projects:support": Open("acts on the caller's own support"),
    "projects:follow_project": Open("acts on the caller's own follow"),
    "projects:comment_create": Open("posts the caller's own comment"),
    "projects:comment_flag": Open("flagging another person's comment is the feature; one flag per person"),
    "projects:comment_edit": [_p(CITIZENS, (GET, POST), data="comment")],
    "projects:comment_delete": [_p(CITIZENS, (GET, POST))],
    "projects:project_comments_export": [_p(STAFF, (GET,))],
    "projects:district_comments_export": [_p(STAFF, (GET,))],
    "projects:round": Open("public budgeting round page"),
    "projects:ballot_withdraw": Open("withdraws the caller's own ballot"),
    "projects:idea_submit": Open("submits the caller's own idea"),
    # --- pages: notifications, accounts (token routes are tested below) ---
    "notifications:follow": Open("acts on the caller's own follow"),
    "notifications:mark_read": [_p(CITIZENS, (POST,))],
    "notifications:unsubscribe": Open("signed token; see test_unsubscribe_token_cannot_be_forged"),
    "accounts:password_reset_confirm": Open("signed token; see test_password_reset_token_is_per_user"),
    # --- API ---
    "api:city-detail": Open("public geography"),
    "api:district-detail": Open("public geography"),
    "api:district-follow": Open("acts on the caller's own follow"),
    "api:neighborhood-detail": Open("public geography"),
    "api:neighborhood-follow": Open("acts on the caller's own follow"),
    "api:trustee-board-detail": Open("public board; personal data is checked by the privacy crawl"),
    "api:need-report-detail": Open("need reports are public"),
    "api:need-report-change-status": [_p(STAFF, (POST,), data="status")],
    "api:need-report-history": [_p(STAFF, (GET,))],
    "api:organization-detail": [_p(MANAGERS, (GET, PATCH, DELETE), obj="draft", data="org_basic")],
    "api:organization-follow": Open("acts on the caller's own follow; drafts are not public"),
    "api:organization-history": [_p(MANAGERS, (GET,)), Private("staff", ("other_staff",), (GET,))],
    "api:organization-invitations": [_p(MANAGERS, (POST,), data="invite")],
    "api:organization-managers": [_p(MANAGERS, (GET,))],
    "api:organization-remove-manager": [_p(MANAGERS, (DELETE,))],
    "api:organization-submit": [_p(MANAGERS, (POST,))],
    "api:organization-verify": [_p(STAFF, (POST,), data="reason")],
    "api:organization-reject": [_p(STAFF, (POST,), data="reason")],
    "api:organization-request-changes": [_p(STAFF, (POST,), data="reason")],
    "api:organization-suspend": [_p(STAFF, (POST,), data="reason")],
    "api:organization-reinstate": [_p(STAFF, (POST,), obj="suspended", data="reason")],
    "api:plan-detail": [_p(MANAGERS, (GET, PATCH, DELETE), data="plan"), Private("staff", ("other_staff",), (GET,))],
    "api:plan-resubmit": [_p(MANAGERS, (POST,), obj="returned_plan", data="plan")],
    "api:plan-review": [_p(STAFF, (POST,), data="reason")],
    "api:plan-project-create": [
        _p(STAFF, (POST,)),
        Private("staff", ("other_staff", "manager", "other_manager", "citizen"), (POST,)),
    ],
    "api:meeting-detail": Open(
        "public announcement; read-only (writes: test_api_writes_on_public_objects_are_refused_to_strangers)"
    ),
    "api:meeting-minutes": [_p(STAFF, (POST,), data="minutes")],
    "api:meeting-rsvp": [_p(MANAGERS, (POST,), data="rsvp")],
    "api:opportunity-detail": Open("published opportunities are public; read-only in the API"),
    "api:opportunity-apply": Open("a volunteer applies for themself"),
    "api:opportunity-close": [_p(MANAGERS, (POST,))],
    "api:application-detail": [_p(CITIZENS, (GET,)), _p(MANAGERS, (GET,))],
    "api:application-accept": [_p(MANAGERS, (POST,))],
    "api:application-decline": [_p(MANAGERS, (POST,))],
    "api:application-withdraw": [_p(CITIZENS, (POST,))],
    "api:project-detail": Open("public project; read-only in the API (staff edit in the admin)"),
    "api:project-comments": Open("public comments; posting writes the caller's own comment"),
    "api:project-flag": Open("flagging another person's comment is the feature; one flag per person"),
    "api:project-follow": Open("acts on the caller's own follow"),
    "api:project-support": Open("acts on the caller's own support"),
    "api:budgeting-round-detail": Open("public budgeting round"),
    "api:budgeting-round-ballot": Open("the caller's own ballot"),
    "api:notification-detail": [_p(CITIZENS, (GET,))],
    "api:notification-read": [_p(CITIZENS, (POST,))],
    "api:me-token-detail": [_p(CITIZENS, (DELETE,))],
}

EXTRA_KWARGS = {
    "api:project-flag": lambda w: {"pk": w.project.pk, "comment_id": w.reply.pk},
}


def _kwargs(world: World, route: Route, entry: Private | None) -> dict:
    kwargs = dict(page_kwargs(world).get(route.name) or EXTRA_KWARGS[route.name](world))
    if entry is not None and entry.obj:
        kwargs["pk"] = world.objects[entry.obj].pk
    return kwargs


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    w = build_world(with_files=True)
    return w


def _request(client, method: str, url: str, data: dict, api: bool):
    if api:
        return getattr(client, method)(url, data, format="json")
    if method == GET:
        return client.get(url)
    return client.post(url, data)


def _status(response) -> int:
    close_quietly(response)
    return response.status_code


def _as(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend=BACKEND)
    return client


def _routes_to_sweep() -> list[str]:
    return sorted(name for name, entry in SWEEP.items() if not isinstance(entry, Open))


def test_every_object_route_is_in_the_sweep():
    """A new route that names an object must say here who may use it."""
    missing = [r.name for r in object_routes() if not r.is_admin and r.name not in SWEEP]
    assert not missing, f"object-level routes without an IDOR sweep entry: {missing}"
    stale = set(SWEEP) - {r.name for r in all_routes()}
    assert not stale, f"sweep entries for routes that no longer exist: {stale}"


@pytest.mark.parametrize("app", ["neighborhoods", "ngos", "projects", "notifications", "api"])
def test_second_user_of_the_same_role_is_refused(world, app):
    routes = {r.name: r for r in all_routes()}
    data = _data(world)
    failures = []
    for name in _routes_to_sweep():
        if name.split(":")[0] != app:
            continue
        route = routes[name]
        for entry in SWEEP[name]:
            url = reverse(name, kwargs=_kwargs(world, route, entry))
            payload = data.get(entry.data.get("_", ""), {})
            owner_answers = []
            for method in entry.methods:
                for intruder in entry.intruders:
                    status = _status(_request(_as(world.people[intruder]), method, url, payload, route.is_api))
                    if status not in DENIED | NO_SUCH_METHOD:
                        failures.append(f"{intruder} {method.upper()} {url} ({name}) -> {status}")
                # The owner, asked the same inside a rolled-back savepoint, is let in
                # (405 aside): the entry names a real permission, not a URL nobody can use.
                with transaction.atomic():
                    status = _status(_request(_as(world.people[entry.owner]), method, url, payload, route.is_api))
                    transaction.set_rollback(True)
                owner_answers.append(status)
                if status in DENIED:
                    failures.append(f"owner {entry.owner} {method.upper()} {url} ({name}) -> {status}")
            if all(status in NO_SUCH_METHOD for status in owner_answers):
                failures.append(f"{name}: no method of {entry.methods} exists even for {entry.owner}")
    assert not failures, "\n".join(failures)


def test_api_writes_on_public_objects_are_refused_to_strangers(world):
    """Public API objects are read-only to a signed-in person who does not own them."""
    routes = {r.name: r for r in all_routes()}
    stranger = _as(world.people["other_citizen"])
    failures = []
    for name, entry in SWEEP.items():
        if not isinstance(entry, Open) or not name.startswith("api:") or not name.endswith("-detail"):
            continue
        url = reverse(name, kwargs=_kwargs(world, routes[name], None))
        for method in (PUT, PATCH, DELETE):
            status = _status(getattr(stranger, method)(url, {"name": "x", "title": "x"}, format="json"))
            if status not in DENIED | NO_SUCH_METHOD:
                failures.append(f"{method.upper()} {url} -> {status}")
    assert not failures, failures


def test_private_lists_show_only_the_callers_rows(world):
    """List endpoints of private rows never carry another person's row."""
    w = world
    other = _as(w.people["other_citizen"])
    ids = lambda resp: {row["id"] for row in resp.json()["results"]}  # noqa: E731
    assert w.notification.pk not in ids(other.get("/api/v1/notifications/"))
    assert w.application.pk not in ids(other.get("/api/v1/applications/"))
    other_manager = _as(w.people["other_manager"])
    assert not {w.plan.pk, w.returned_plan.pk} & ids(other_manager.get("/api/v1/plans/"))
    assert w.application.pk not in ids(other_manager.get("/api/v1/applications/"))
    assert w.draft.pk not in ids(other_manager.get("/api/v1/organizations/"))
    other_staff = _as(w.people["other_staff"])
    assert w.plan.pk not in ids(other_staff.get("/api/v1/plans/"))
    # ...while the owners do see them, so the checks above can fail.
    assert w.notification.pk in ids(_as(w.people["citizen"]).get("/api/v1/notifications/"))
    assert w.plan.pk in ids(_as(w.people["manager"]).get("/api/v1/plans/"))


def test_unsubscribe_token_cannot_be_forged(world, client):
    """A token changed by one character, or an old-style token naming another person, is refused."""
    import base64
    import json

    from django.core import signing

    from notifications.models import Preference
    from notifications.tokens import SALT, make_token

    w = world
    citizen, other = w.people["citizen"], w.people["other_citizen"]
    token = make_token(user_id=citizen.pk, event="comment_replied", channel=Channel.EMAIL)
    legacy = signing.dumps({"u": citizen.pk, "e": "comment_replied", "c": "email"}, salt=SALT)
    payload, timestamp, signature = legacy.split(":")
    body = json.dumps({"u": other.pk, "e": "comment_replied", "c": "email"}, separators=(",", ":"))
    swapped = base64.urlsafe_b64encode(body.encode()).decode().rstrip("=")
    changed = token[:-1] + ("A" if token[-1] != "A" else "B")
    for bad in (f"{swapped}:{timestamp}:{signature}", changed):
        assert client.post(reverse("notifications:unsubscribe", kwargs={"token": bad})).status_code == 400
    assert not Preference.objects.filter(user__in=[citizen, other]).exists()
    # The real token works, so the refusals above are about the forgery.
    assert client.post(reverse("notifications:unsubscribe", kwargs={"token": token})).status_code == 200
    assert Preference.objects.filter(user=citizen).exists()


def test_password_reset_token_is_per_user(world, client):
    w = world
    citizen, other = w.people["citizen"], w.people["other_citizen"]
    other_token = default_token_generator.make_token(other)
    uid = urlsafe_base64_encode(force_bytes(citizen.pk))
    url = reverse("accounts:password_reset_confirm", kwargs={"uidb64": uid, "token": other_token})
    response = client.get(url, follow=True)
    assert b'name="new_password1"' not in response.content
    own = reverse(
        "accounts:password_reset_confirm",
        kwargs={"uidb64": uid, "token": default_token_generator.make_token(citizen)},
    )
    assert b'name="new_password1"' in client.get(own, follow=True).content


# --- admin: staff of another district ------------------------------------------------
# Models whose rows belong to no district: every staff member may see them.
ADMIN_UNSCOPED = {
    "accounts.user": "staff accounts are managed by city admins; the admin limits who may change roles",
    "places.city": "geography is public",
    "places.district": "geography is public",
    "places.area": "geography is public",
    "places.neighborhood": "geography is public",
    "projects.flaggedword": "one word list per city, for that city's admins (tests/projects/test_flagged_words.py)",
    "places.cityparticipationsettings": "one row per city, for city admins",
    "projects.idearound": "city-wide call for ideas",
    "notifications.notification": "outbox, city admins only",
    "accounts.apitoken": "API tokens, city admins only",
    "auth.group": "permission groups",
    "axes.accessattempt": "sign-in lockouts",
    "axes.accessfailurelog": "sign-in lockouts",
    "axes.accesslog": "sign-in lockouts",
    "core.auditentry": "read-only audit trail, checked in tests/core/test_audit.py",
    "ngos.licencereminder": "a log of reminders sent, read-only",
    "accounts.censuslist": "one list per city, for the city's admins (tests/accounts/test_census.py)",
    "projects.budgetingcycle": "a city's rounds opened together: its staff see it, its admins change it",
    "notifications.digestrun": "a log of digest runs, read-only",
}


# Models whose rows belong to a district, and the world's row of each in the first district.
ADMIN_SCOPED = {
    "neighborhoods.neighborhoodhouse": "house",
    "neighborhoods.trusteeboard": "board",
    "neighborhoods.trusteeship": "trusteeship",
    "neighborhoods.needreport": "need",
    "neighborhoods.announcement": "announcement",
    "ngos.organization": "organization",
    "ngos.verificationqueue": "draft",
    "ngos.plan": "plan",
    "ngos.meeting": "meeting",
    "ngos.opportunity": "opportunity",
    "ngos.application": "application",
    "ngos.volunteerprofile": "volunteer_profile",
    "projects.project": "project",
    "projects.comment": "comment",
    "projects.moderationqueueitem": "comment",
    "projects.budgetinground": "round",
    "projects.idea": "idea",
    "accounts.resident": "resident",
}


def test_every_admin_model_is_scoped_or_says_why_not():
    labels = {m._meta.label_lower for m in admin_site._registry}
    missing = sorted(labels - set(ADMIN_SCOPED) - set(ADMIN_UNSCOPED))
    assert not missing, f"admin models with no district-scope sweep entry: {missing}"


def test_admin_change_pages_are_scoped_to_the_staff_members_districts(world):
    w = world
    # The draft is in the verification queue only once it has been submitted.
    Organization.objects.filter(pk=w.draft.pk).update(status="submitted")
    Comment.objects.filter(pk=w.comment.pk).update(status="pending")
    failures = []
    for model in admin_site._registry:
        name = ADMIN_SCOPED.get(model._meta.label_lower)
        if name is None:
            continue
        obj = w.objects[name]
        info = (model._meta.app_label, model._meta.model_name)
        url = reverse("admin:{}_{}_change".format(*info), args=[obj.pk])
        own = _as(w.people["staff"]).get(url)
        other = _as(w.people["other_staff"]).get(url)
        if own.status_code != 200:
            failures.append(f"staff of the district: {url} -> {own.status_code}")
        if other.status_code == 200:
            failures.append(f"staff of another district: {url} -> 200")
        for view in ("history", "delete"):
            other_url = reverse(f"admin:{info[0]}_{info[1]}_{view}", args=[obj.pk])
            if _as(w.people["other_staff"]).get(other_url).status_code == 200:
                failures.append(f"staff of another district: {other_url} -> 200")
        if _as(w.people["other_staff"]).post(url, {}).status_code == 200:
            failures.append(f"staff of another district: POST {url} -> 200")
    assert not failures, "\n".join(failures)


def test_no_one_promotes_themself_or_their_records(world, client):
    """Fields a person may not set are ignored when sent anyway (mass assignment)."""
    from accounts.models import Role, User

    w = world
    manager = _as(w.people["manager"])
    response = manager.patch(
        f"/api/v1/organizations/{w.draft.pk}/",
        {"summary": "خلاصه تازه", "status": "verified", "verified_at": "2020-01-01T00:00:00Z", "review_note": "ok"},
        format="json",
    )
    assert response.status_code == 200, response.content
    draft = Organization.objects.get(pk=w.draft.pk)
    assert draft.summary == "خلاصه تازه"
    assert draft.status == "draft" and draft.verified_at is None and draft.review_note != "ok"

    citizen = w.people["citizen"]
    client.force_login(citizen, backend=BACKEND)
    client.post(
        reverse("accounts:profile"),
        {
            "display_name": "نام تازه",
            "email": w.secrets["citizen"].email,
            "role": Role.CITY_ADMIN,
            "is_staff": "on",
            "is_superuser": "on",
            "staff_districts": [w.district.pk],
        },
    )
    citizen = User.objects.get(pk=citizen.pk)
    assert citizen.display_name == "نام تازه"
    assert citizen.role == Role.CITIZEN and not citizen.is_staff and not citizen.is_superuser
    assert not citizen.staff_districts.exists()
    # PATCH /api/v1/me/ changes the profile; role, staff flags and districts are not among its fields.
    promote = {"role": Role.CITY_ADMIN, "is_staff": True, "is_superuser": True, "staff_districts": [w.district.pk]}
    assert _as(citizen).patch("/api/v1/me/", promote, format="json").status_code in (200, 403, 405)
    citizen = User.objects.get(pk=citizen.pk)
    assert citizen.role == Role.CITIZEN and not citizen.is_staff and not citizen.is_superuser
    assert not citizen.staff_districts.exists()
