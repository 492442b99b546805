"""Reads of the registry that other pages share."""

from __future__ import annotations

from accounts.personal_data import moments
from ngos.models import Application, Membership, Organization, VolunteerProfile


# --- what place pages show of organisations (neighborhoods.activity) ---------------------
def district_organizations_activity(district) -> dict:
    return {"organization_count": Organization.objects.public().filter(districts=district).count()}


def neighborhood_organizations_activity(neighborhood) -> dict:
    return {"organization_count": Organization.objects.public().filter(neighborhoods=neighborhood).count()}


# --- a citizen's own volunteering and organisations, for their export (accounts.personal_data) --
def my_volunteer_profile(user) -> dict | None:
    profile = VolunteerProfile.objects.filter(user=user).prefetch_related("districts").first()
    if profile is None:
        return None
    return {
        "skills": profile.skills,
        "districts": sorted(district.name for district in profile.districts.all()),
        "availability": profile.availability,
        "availability_display": str(profile.get_availability_display()),
        "note": profile.note,
        **moments(created_at=profile.created_at, updated_at=profile.updated_at),
    }


def my_volunteer_applications(user) -> list[dict]:
    rows = (
        Application.objects.filter(volunteer=user)
        .select_related("opportunity__organization")
        .order_by("created_at", "id")
    )
    return [
        {
            "opportunity": {
                "id": a.opportunity_id,
                "title": a.opportunity.title,
                "date": a.opportunity.date.isoformat(),
            },
            "organisation": {"id": a.opportunity.organization_id, "name": a.opportunity.organization.name},
            "message": a.message,
            "status": a.status,
            "status_display": str(a.get_status_display()),
            **moments(created_at=a.created_at, decided_at=a.decided_at),
        }
        for a in rows
    ]


def my_organisations_managed(user) -> list[dict]:
    rows = Membership.objects.filter(user=user).select_related("organization").order_by("created_at", "id")
    return [
        {
            "organisation": {"id": m.organization_id, "name": m.organization.name},
            **moments(manager_since=m.created_at),
        }
        for m in rows
    ]
