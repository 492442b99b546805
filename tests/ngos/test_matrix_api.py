"""Role × action for every write in the API.

Each row names an action, the request, how to tell it took effect, and per
role the expected outcome: ``ok`` (it happened), ``login`` (sent to sign in),
or an HTTP status with nothing written. The scene is ``tests.ngos.matrix``.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ngos.models import (
    Application,
    ApplicationStatus,
    ManagerInvitation,
    Meeting,
    MeetingRsvp,
    Membership,
    Opportunity,
    OpportunityStatus,
    Organization,
    OrganizationStatus,
    Plan,
    PlanStatus,
)
from projects.models import Project
from tests.ngos.matrix import ROLES, refreshed

S = OrganizationStatus

ANON = 403  # session authentication first: DRF answers 403 "not_authenticated"
STAFF_IN = {"district_staff": "ok", "city_admin": "ok"}
REVIEW_SUBMITTED = {"anonymous": ANON, "citizen": 404, "manager": 403, "other_manager": 404,
                    "other_district_staff": 404} | STAFF_IN  # fmt: skip
MANAGER_ON_PUBLIC = {r: 403 for r in ROLES} | {"anonymous": ANON, "manager": "ok"}
MANAGER_ON_PRIVATE = {"anonymous": ANON, "citizen": 404, "manager": "ok", "other_manager": 404,
                      "district_staff": 403, "other_district_staff": 404, "city_admin": 403}  # fmt: skip
STAFF_ON_PUBLIC = {r: 403 for r in ROLES} | {"anonymous": ANON} | STAFF_IN

API_ACTIONS = {
    "create": (
        lambda s: (
            "post",
            "/api/v1/organizations/",
            {
                "city": s.district.city_id,
                "kind": "ngo",
                "name": "سمن API",
                "registration_number": "4242",
                "managing_director": "م",
                "summary": "خ",
            },
        ),
        lambda s: Organization.objects.filter(registration_number_normalized="4242").exists(),
        {r: "ok" for r in ROLES} | {"anonymous": ANON},
    ),
    "edit": (
        lambda s: ("patch", f"/api/v1/organizations/{s.organization.pk}/", {"summary": "خلاصهٔ API"}),
        lambda s: refreshed(s.organization).summary == "خلاصهٔ API",
        MANAGER_ON_PUBLIC,
    ),
    "submit": (
        lambda s: ("post", f"/api/v1/organizations/{s.draft.pk}/submit/", {}),
        lambda s: refreshed(s.draft).status == S.SUBMITTED,
        MANAGER_ON_PRIVATE,
    ),
    "verify": (
        lambda s: ("post", f"/api/v1/organizations/{s.submitted.pk}/verify/", {}),
        lambda s: refreshed(s.submitted).status == S.VERIFIED,
        REVIEW_SUBMITTED,
    ),
    "reject": (
        lambda s: ("post", f"/api/v1/organizations/{s.submitted.pk}/reject/", {"reason": "ناقص"}),
        lambda s: refreshed(s.submitted).status == S.REJECTED,
        REVIEW_SUBMITTED,
    ),
    "request changes": (
        lambda s: ("post", f"/api/v1/organizations/{s.submitted.pk}/request-changes/", {"note": "اصلاح"}),
        lambda s: refreshed(s.submitted).status == S.DRAFT,
        REVIEW_SUBMITTED,
    ),
    "suspend": (
        lambda s: ("post", f"/api/v1/organizations/{s.organization.pk}/suspend/", {"reason": "تخلف"}),
        lambda s: refreshed(s.organization).status == S.SUSPENDED,
        STAFF_ON_PUBLIC | {"manager": 403},
    ),
    "reinstate": (
        lambda s: ("post", f"/api/v1/organizations/{s.suspended.pk}/reinstate/", {}),
        lambda s: refreshed(s.suspended).status == S.VERIFIED,
        REVIEW_SUBMITTED,
    ),
    "invite manager": (
        lambda s: ("post", f"/api/v1/organizations/{s.organization.pk}/invitations/", {"phone": "09125550001"}),
        lambda s: ManagerInvitation.objects.filter(phone="+989125550001").exists(),
        MANAGER_ON_PUBLIC,
    ),
    "remove manager": (
        lambda s: ("delete", f"/api/v1/organizations/{s.organization.pk}/managers/{s.second_membership.pk}/", {}),
        lambda s: not Membership.objects.filter(pk=s.second_membership.pk).exists(),
        MANAGER_ON_PUBLIC,
    ),
    "submit plan": (
        lambda s: (
            "post",
            "/api/v1/plans/",
            {
                "organization": s.organization.pk,
                "title": "طرح API",
                "description": "شرح",
                "target_neighborhoods": [s.neighborhood.pk],
                "estimated_budget": 10,
            },
        ),
        lambda s: Plan.objects.filter(title="طرح API").exists(),
        MANAGER_ON_PUBLIC,
    ),
    "review plan": (
        lambda s: ("post", f"/api/v1/plans/{s.plan.pk}/review/", {"decision": "accepted"}),
        lambda s: refreshed(s.plan).status == PlanStatus.ACCEPTED,
        REVIEW_SUBMITTED,
    ),
    "resubmit plan": (
        lambda s: (
            "post",
            f"/api/v1/plans/{s.returned_plan.pk}/resubmit/",
            {
                "title": "طرح اصلاح",
                "description": "ش",
                "target_neighborhoods": [s.neighborhood.pk],
                "estimated_budget": 5,
            },
        ),
        lambda s: refreshed(s.returned_plan).status == PlanStatus.SUBMITTED,
        MANAGER_ON_PRIVATE,
    ),
    "make project of plan": (
        lambda s: ("post", f"/api/v1/plans/{s.accepted_plan.pk}/project/", {}),
        lambda s: Project.objects.filter(source_plan=s.accepted_plan).exists(),
        REVIEW_SUBMITTED,
    ),
    "schedule meeting": (
        lambda s: (
            "post",
            "/api/v1/meetings/",
            {
                "city": s.district.city_id,
                "district": s.district.pk,
                "title": "نشست API",
                "starts_at": (timezone.now() + dt.timedelta(days=5)).isoformat(),
                "place": "سالن",
                "agenda": "دستور",
            },
        ),
        lambda s: Meeting.objects.filter(title="نشست API").exists(),
        STAFF_ON_PUBLIC,
    ),
    "rsvp": (
        lambda s: (
            "post",
            f"/api/v1/meetings/{s.meeting.pk}/rsvp/",
            {"organization": s.organization.pk, "response": "maybe"},
        ),
        lambda s: MeetingRsvp.objects.filter(meeting=s.meeting).exists(),
        MANAGER_ON_PUBLIC,
    ),
    "publish minutes": (
        lambda s: ("post", f"/api/v1/meetings/{s.past_meeting.pk}/minutes/", {"minutes": "صورت‌جلسه"}),
        lambda s: refreshed(s.past_meeting).minutes_published_at is not None,
        STAFF_ON_PUBLIC,
    ),
    "post opportunity": (
        lambda s: (
            "post",
            "/api/v1/opportunities/",
            {
                "organization": s.organization.pk,
                "title": "فرصت API",
                "description": "ش",
                "date": (timezone.localdate() + dt.timedelta(days=3)).isoformat(),
                "place": "پارک",
                "places": 2,
            },
        ),
        lambda s: Opportunity.objects.filter(title="فرصت API").exists(),
        MANAGER_ON_PUBLIC,
    ),
    "apply": (
        lambda s: ("post", f"/api/v1/opportunities/{s.opportunity.pk}/apply/", {"message": "API"}),
        lambda s: Application.objects.filter(opportunity=s.opportunity, message="API").exists(),
        {r: "ok" for r in ROLES} | {"anonymous": ANON, "citizen": 400},
    ),
    "close opportunity": (
        lambda s: ("post", f"/api/v1/opportunities/{s.opportunity.pk}/close/", {}),
        lambda s: refreshed(s.opportunity).status == OpportunityStatus.CLOSED,
        MANAGER_ON_PUBLIC,
    ),
    "accept application": (
        lambda s: ("post", f"/api/v1/applications/{s.application.pk}/accept/", {}),
        lambda s: refreshed(s.application).status == ApplicationStatus.ACCEPTED,
        {r: 404 for r in ROLES} | {"anonymous": ANON, "manager": "ok", "citizen": 403},
    ),
    "withdraw application": (
        lambda s: ("post", f"/api/v1/applications/{s.application.pk}/withdraw/", {}),
        lambda s: refreshed(s.application).status == ApplicationStatus.WITHDRAWN,
        {r: 404 for r in ROLES} | {"anonymous": ANON, "citizen": "ok", "manager": 403},
    ),
    "decline application": (
        lambda s: ("post", f"/api/v1/applications/{s.application.pk}/decline/", {}),
        lambda s: refreshed(s.application).status == ApplicationStatus.DECLINED,
        {r: 404 for r in ROLES} | {"anonymous": ANON, "manager": "ok", "citizen": 403},
    ),
}


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(API_ACTIONS))
def test_api(api_client, scene, action, role):
    build, happened, expectations = API_ACTIONS[action]
    method, url, data = build(scene)
    user = scene.people[role]
    if user is not None:
        api_client.force_authenticate(user)
    response = getattr(api_client, method)(url, data, format="json")
    expected = expectations[role]
    if expected == "ok":
        assert response.status_code in (200, 201, 204), (response.status_code, response.content[:300])
        assert happened(scene)
    else:
        assert response.status_code == expected, (response.status_code, response.content[:300])
        assert not happened(scene)
        assert set(response.json()) >= {"detail", "code"}
