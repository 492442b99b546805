"""Role × action for every write on the pages.

Each row names an action, the request, how to tell it took effect, and per
role the expected outcome: ``ok`` (it happened), ``login`` (sent to sign in),
or an HTTP status with nothing written. The scene is ``tests.ngos.matrix``.
"""

from __future__ import annotations

import pytest

from ngos.models import (
    Application,
    ApplicationStatus,
    InvitationStatus,
    ManagerInvitation,
    MeetingRsvp,
    Membership,
    Opportunity,
    OpportunityStatus,
    Organization,
    OrganizationStatus,
    Plan,
    PlanStatus,
    VolunteerProfile,
)
from tests.ngos.matrix import ROLES, future_jalali, refreshed

S = OrganizationStatus

MANAGER_ONLY_PAGE = {"manager": "ok", "citizen": 404, "other_manager": 404, "district_staff": 404,
                     "other_district_staff": 404, "city_admin": 404, "anonymous": "login"}  # fmt: skip
SIGNED_IN_PAGE = {r: "ok" for r in ROLES} | {"anonymous": "login"}


PAGE_ACTIONS = {
    "register": (
        lambda s: (
            "/organizations/register/",
            {
                "city": s.district.city_id,
                "kind": "ngo",
                "name": "سمن تازه",
                "registration_number": "555",
                "managing_director": "مدیر",
                "summary": "خلاصه",
            },
        ),
        lambda s: Organization.objects.filter(registration_number_normalized="555").exists(),
        SIGNED_IN_PAGE,
    ),
    "edit": (
        lambda s: (
            f"/organizations/{s.organization.pk}/edit/",
            {
                "kind": "charity",
                "name": "نام نو",
                "registration_number": s.organization.registration_number,
                "managing_director": "م",
                "summary": "خلاصهٔ نو",
                "board_members": "",
                "description": "",
            },
        ),
        lambda s: refreshed(s.organization).name == "نام نو",
        MANAGER_ONLY_PAGE,
    ),
    "submit": (
        lambda s: (f"/organizations/{s.draft.pk}/submit/", {}),
        lambda s: refreshed(s.draft).status == S.SUBMITTED,
        MANAGER_ONLY_PAGE,
    ),
    "invite manager": (
        lambda s: (f"/organizations/{s.organization.pk}/managers/", {"phone": "09125550000"}),
        lambda s: ManagerInvitation.objects.filter(phone="+989125550000").exists(),
        MANAGER_ONLY_PAGE,
    ),
    "remove manager": (
        lambda s: (f"/organizations/{s.organization.pk}/managers/{s.second_membership.pk}/remove/", {}),
        lambda s: not Membership.objects.filter(pk=s.second_membership.pk).exists(),
        MANAGER_ONLY_PAGE,
    ),
    "revoke invitation": (
        lambda s: (f"/organizations/{s.organization.pk}/invitations/{s.invitation.pk}/revoke/", {}),
        lambda s: refreshed(s.invitation).status == InvitationStatus.REVOKED,
        MANAGER_ONLY_PAGE,
    ),
    "accept invitation": (
        lambda s: (f"/organizations/invitations/{s.invitation.pk}/accept/", {}),
        lambda s: Membership.objects.filter(organization=s.organization, user=s.people["citizen"]).exists(),
        {r: 404 for r in ROLES} | {"citizen": "ok", "anonymous": "login"},
    ),
    "submit plan": (
        lambda s: (
            f"/organizations/{s.organization.pk}/plans/new/",
            {
                "title": "طرح نو",
                "description": "شرح",
                "target_neighborhoods": [s.neighborhood.pk],
                "estimated_budget": "100",
            },
        ),
        lambda s: Plan.objects.filter(title="طرح نو").exists(),
        MANAGER_ONLY_PAGE,
    ),
    "resubmit plan": (
        lambda s: (
            f"/organizations/plans/{s.returned_plan.pk}/edit/",
            {
                "title": "طرح اصلاح‌شده",
                "description": "شرح",
                "target_neighborhoods": [s.neighborhood.pk],
                "estimated_budget": "100",
            },
        ),
        lambda s: refreshed(s.returned_plan).status == PlanStatus.SUBMITTED,
        MANAGER_ONLY_PAGE | {"district_staff": 403, "city_admin": 403},  # they may read it, not resubmit it
    ),
    "rsvp": (
        lambda s: (
            f"/organizations/meetings/{s.meeting.pk}/rsvp/",
            {"organization": s.organization.pk, "response": "attending"},
        ),
        lambda s: MeetingRsvp.objects.filter(meeting=s.meeting).exists(),
        {r: 403 for r in ROLES} | {"manager": "ok", "anonymous": "login"},
    ),
    "post opportunity": (
        lambda s: (
            f"/organizations/{s.organization.pk}/opportunities/new/",
            {"title": "فرصت نو", "description": "شرح", "date": future_jalali(), "place": "بوستان", "places": "4"},
        ),
        lambda s: Opportunity.objects.filter(title="فرصت نو").exists(),
        MANAGER_ONLY_PAGE,
    ),
    "close opportunity": (
        lambda s: (f"/volunteer/opportunities/{s.opportunity.pk}/close/", {}),
        lambda s: refreshed(s.opportunity).status == OpportunityStatus.CLOSED,
        MANAGER_ONLY_PAGE,
    ),
    "accept application": (
        lambda s: (f"/volunteer/applications/{s.application.pk}/accept/", {}),
        lambda s: refreshed(s.application).status == ApplicationStatus.ACCEPTED,
        MANAGER_ONLY_PAGE,
    ),
    "volunteer profile": (
        lambda s: (
            "/volunteer/profile/",
            {"skills": "نجاری", "districts": [s.district.pk], "availability": "weekends"},
        ),
        lambda s: VolunteerProfile.objects.filter(skills="نجاری").exists(),
        SIGNED_IN_PAGE,
    ),
    "apply": (
        lambda s: (f"/volunteer/opportunities/{s.opportunity.pk}/apply/", {"message": "سلام"}),
        lambda s: Application.objects.filter(opportunity=s.opportunity, message="سلام").exists(),
        SIGNED_IN_PAGE | {"citizen": 302},  # the citizen has applied already: refused with a message
    ),
    "withdraw": (
        lambda s: (f"/volunteer/applications/{s.application.pk}/withdraw/", {}),
        lambda s: refreshed(s.application).status == ApplicationStatus.WITHDRAWN,
        {r: 404 for r in ROLES} | {"citizen": "ok", "anonymous": "login"},
    ),
}


def _check(response, expected, happened, location_hint: str = "/accounts/login/"):
    if expected == "ok":
        assert response.status_code in (200, 201, 204, 302), response.status_code
        assert happened, "the write should have happened"
    elif expected == "login":
        assert response.status_code in (302, 401, 403)
        if response.status_code == 302:
            assert location_hint in response["Location"]
        assert not happened
    else:
        assert response.status_code == expected, (response.status_code, expected)
        assert not happened


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(PAGE_ACTIONS))
def test_pages(client, client_for, scene, action, role):
    build, happened, expectations = PAGE_ACTIONS[action]
    url, data = build(scene)
    user = scene.people[role]
    http = client_for(user) if user is not None else client
    response = http.post(url, data)
    _check(response, expectations[role], happened(scene))
