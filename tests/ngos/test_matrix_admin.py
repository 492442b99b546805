"""Role × action for every write in the admin.

Each row names an action, the request, how to tell it took effect, and per
role the expected outcome: ``ok`` (it happened), ``login`` (sent to sign in),
or an HTTP status with nothing written. The scene is ``tests.ngos.matrix``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ngos.models import (
    Meeting,
    OrganizationStatus,
    PlanStatus,
)
from projects.models import Project
from tests import factories
from tests.ngos.matrix import ROLES, future_jalali, refreshed

S = OrganizationStatus

ADMIN_STAFF = {r: "login" for r in ROLES} | {"district_staff": "ok", "other_district_staff": "no", "city_admin": "ok"}


def _action(model: str, name: str, pk: int, **extra):
    return f"/admin/ngos/{model}/", {"action": name, "_selected_action": [pk], **extra}


ADMIN_ACTIONS = {
    "verify": (
        lambda s: _action("organization", "verify", s.submitted.pk),
        lambda s: refreshed(s.submitted).status == S.VERIFIED,
    ),
    "verify from the queue": (
        lambda s: _action("verificationqueue", "verify", s.submitted.pk),
        lambda s: refreshed(s.submitted).status == S.VERIFIED,
    ),
    "reject": (
        lambda s: _action("organization", "reject", s.submitted.pk, apply="1", note="ناقص"),
        lambda s: refreshed(s.submitted).status == S.REJECTED,
    ),
    "request changes": (
        lambda s: _action("organization", "request_changes", s.submitted.pk, apply="1", note="اصلاح کنید"),
        lambda s: refreshed(s.submitted).review_note == "اصلاح کنید",
    ),
    "suspend": (
        lambda s: _action("organization", "suspend", s.organization.pk, apply="1", note="تخلف"),
        lambda s: refreshed(s.organization).status == S.SUSPENDED,
    ),
    "reinstate": (
        lambda s: _action("organization", "reinstate", s.suspended.pk),
        lambda s: refreshed(s.suspended).status == S.VERIFIED,
    ),
    "take plan under review": (
        lambda s: _action("plan", "start_review", s.plan.pk),
        lambda s: refreshed(s.plan).status == PlanStatus.UNDER_REVIEW,
    ),
    "accept plan": (
        lambda s: _action("plan", "accept", s.plan.pk),
        lambda s: refreshed(s.plan).status == PlanStatus.ACCEPTED,
    ),
    "return plan": (
        lambda s: _action("plan", "return_plan", s.plan.pk, apply="1", note="بودجه را تفکیک کنید"),
        lambda s: refreshed(s.plan).status == PlanStatus.RETURNED,
    ),
    "make project of plan": (
        lambda s: _action("plan", "create_project", s.accepted_plan.pk),
        lambda s: Project.objects.filter(source_plan=s.accepted_plan).exists(),
    ),
    "schedule meeting": (
        lambda s: (
            "/admin/ngos/meeting/add/",
            {
                "city": s.district.city_id,
                "district": s.district.pk,
                "title": "نشست ادمین",
                "date": future_jalali(9),
                "time": "17:30",
                "place": "سالن",
                "agenda": "دستور",
            },
        ),
        lambda s: Meeting.objects.filter(title="نشست ادمین").exists(),
    ),
    "publish minutes": (
        lambda s: (f"/admin/ngos/meeting/{s.past_meeting.pk}/change/", {"minutes": "صورت‌جلسهٔ ادمین"}),
        lambda s: refreshed(s.past_meeting).minutes == "صورت‌جلسهٔ ادمین",
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(ADMIN_ACTIONS))
def test_admin(client, client_for, scene, action, role):
    build, happened = ADMIN_ACTIONS[action]
    url, data = build(scene)
    user = scene.people[role]
    http = client_for(user) if user is not None else client
    response = http.post(url, data)
    expected = ADMIN_STAFF[role]
    assert response.status_code in (200, 302, 403), response.status_code
    if expected == "ok":
        assert happened(scene)
    else:
        assert not happened(scene)
        if expected == "login":
            assert response.status_code == 302 and "/admin/login/" in response["Location"]


@pytest.mark.django_db
def test_staff_see_only_their_districts_in_the_admin(client_for, scene, district_staff, other_district_staff):
    names = {}
    for user in (district_staff, other_district_staff):
        html = client_for(user).get("/admin/ngos/organization/").content.decode()
        names[user.pk] = html
    assert str(scene.submitted.pk) in names[district_staff.pk]
    assert f"/admin/ngos/organization/{scene.organization.pk}/change/" in names[district_staff.pk]
    assert f"/admin/ngos/organization/{scene.organization.pk}/change/" not in names[other_district_staff.pk]
    assert f"/admin/ngos/organization/{scene.other_organization.pk}/change/" in names[other_district_staff.pk]


@pytest.mark.django_db
def test_admin_reason_page_is_shown_before_rejecting(client_for, scene, district_staff):
    response = client_for(district_staff).post(*_action("organization", "reject", scene.submitted.pk))
    assert response.status_code == 200
    assert 'name="note"' in response.content.decode()
    assert refreshed(scene.submitted).status == S.SUBMITTED


@pytest.mark.django_db
def test_admin_csv_export_and_licence_filter(client_for, scene, city_admin):
    factories.VerifiedOrganizationFactory(
        city=scene.district.city,
        districts=[scene.district],
        name="سمن منقضی",
        licence_expires_on=timezone.localdate() - dt.timedelta(days=3),
    )
    client = client_for(city_admin)
    listing = client.get("/admin/ngos/organization/", {"licence": "expired"}).content.decode()
    assert "سمن منقضی" in listing and scene.organization.name not in listing
    export = client.post(*_action("organization", "export_csv", scene.organization.pk))
    assert export["Content-Type"].startswith("text/csv")
    assert scene.organization.registration_number in export.content.decode("utf-8-sig")


@pytest.mark.django_db
@pytest.mark.parametrize("user_role", ["district_staff", "city_admin"])
def test_admin_pages_render_for_staff(client_for, scene, user_role):
    client = client_for(scene.people[user_role])
    urls = [
        "/admin/",
        "/admin/ngos/organization/",
        f"/admin/ngos/organization/{scene.submitted.pk}/change/",
        "/admin/ngos/verificationqueue/",
        "/admin/ngos/plan/",
        f"/admin/ngos/plan/{scene.plan.pk}/change/",
        "/admin/ngos/meeting/",
        "/admin/ngos/meeting/add/",
        f"/admin/ngos/meeting/{scene.past_meeting.pk}/change/",
        "/admin/ngos/opportunity/",
        "/admin/ngos/application/",
        "/admin/ngos/licencereminder/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
    queue = client.get("/admin/ngos/verificationqueue/").content.decode()
    assert f"/{scene.submitted.pk}/change/" in queue and f"/{scene.organization.pk}/change/" not in queue
