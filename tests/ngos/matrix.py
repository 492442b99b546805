"""The scene every role × action test plays on.

``manager`` manages ``organization`` (verified, in ``district``) and a
complete ``draft``; ``other_manager`` manages ``other_organization`` in
``other_district``. ``citizen`` has applied to ``opportunity`` and is
invited to manage ``organization``. Everyone
signed in has a volunteer profile, so applying is open to all of them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.utils import timezone

from core.forms import format_jalali_date
from ngos.models import ManagerInvitation, OrganizationStatus, PlanStatus
from tests import factories

ROLES = ("anonymous", "citizen", "manager", "other_manager", "district_staff", "other_district_staff", "city_admin")
EVERYONE_SIGNED_IN = {r: "ok" for r in ROLES if r != "anonymous"}


@dataclass
class Scene:
    people: dict
    district: object
    other_district: object
    neighborhood: object
    organization: object
    other_organization: object
    draft: object
    submitted: object
    second_membership: object
    plan: object
    returned_plan: object
    accepted_plan: object
    meeting: object
    past_meeting: object
    opportunity: object
    application: object
    suspended: object
    invitation: object


def refreshed(obj):
    obj.refresh_from_db()
    return obj


def future_jalali(days: int = 20) -> str:
    """A date ``days`` ahead as people type it: ``1405/09/12``."""
    return format_jalali_date(timezone.localdate() + dt.timedelta(days=days))


def build_scene(people, district, other_district, neighborhood, organization, other_organization) -> Scene:
    manager = people["manager"]
    for user in people.values():
        if user is not None:
            factories.VolunteerProfileFactory(user=user, districts=[district])
    draft = factories.OrganizationFactory(city=district.city, districts=[district], managers=[manager])
    submitted = factories.OrganizationFactory(
        city=district.city, districts=[district], managers=[manager], status=OrganizationStatus.SUBMITTED
    )
    opportunity = factories.OpportunityFactory(organization=organization, places=20)
    return Scene(
        people=people,
        district=district,
        other_district=other_district,
        neighborhood=neighborhood,
        organization=organization,
        other_organization=other_organization,
        draft=draft,
        submitted=submitted,
        second_membership=factories.MembershipFactory(organization=organization),
        plan=factories.PlanFactory(organization=organization, target_neighborhoods=[neighborhood]),
        returned_plan=factories.PlanFactory(
            organization=organization, target_neighborhoods=[neighborhood], status=PlanStatus.RETURNED
        ),
        accepted_plan=factories.PlanFactory(
            organization=organization, target_neighborhoods=[neighborhood], status=PlanStatus.ACCEPTED
        ),
        meeting=factories.MeetingFactory(city=district.city, district=district),
        past_meeting=factories.MeetingFactory(
            city=district.city, district=district, starts_at=timezone.now() - dt.timedelta(days=2)
        ),
        opportunity=opportunity,
        application=factories.ApplicationFactory(opportunity=opportunity, volunteer=people["citizen"]),
        suspended=factories.VerifiedOrganizationFactory(
            city=district.city, districts=[district], managers=[manager], status=OrganizationStatus.SUSPENDED
        ),
        invitation=ManagerInvitation.objects.create(organization=organization, phone=people["citizen"].phone),
    )
