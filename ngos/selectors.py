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


# --- the staff dashboard (core.admin.dashboard) -------------------------------------------------
def register_dashboard() -> None:
    """Organisations to verify, licences running out, plans and applications to answer; organisations per day."""
    from django.db.models import Q
    from django.utils.translation import gettext_lazy as _

    from core.admin import dashboard
    from ngos.models import ApplicationStatus, LicenceStatus, OrganizationStatus, Plan, PlanStatus, licence_status_q

    @dashboard.once_per_request
    def organizations(user) -> dict[str, int]:
        expiring = licence_status_q(LicenceStatus.EXPIRING)
        return dashboard.scoped_counts(
            Organization.objects.filter(Q(status=OrganizationStatus.SUBMITTED) | expiring),
            user,
            "districts",
            submitted=Q(status=OrganizationStatus.SUBMITTED),
            expiring=expiring,
        )

    dashboard.register_queue(
        "organizations_submitted",
        _("Organisations awaiting verification"),
        lambda user: organizations(user)["submitted"],
        dashboard.changelist("ngos.verificationqueue"),
        order=30,
    )
    dashboard.register_queue(
        "licences_expiring",
        _("Licences expiring within 30 days"),
        lambda user: organizations(user)["expiring"],
        dashboard.changelist("ngos.organization", f"licence={LicenceStatus.EXPIRING}"),
        order=40,
    )
    dashboard.register_queue(
        "plans_submitted",
        _("Plans awaiting review"),
        lambda user: dashboard.scoped_count(
            Plan.objects.filter(status=PlanStatus.SUBMITTED), user, "target_neighborhoods__district"
        ),
        dashboard.changelist("ngos.plan", f"status__exact={PlanStatus.SUBMITTED}"),
        order=50,
    )
    dashboard.register_queue(
        "applications_pending",
        _("Volunteer applications waiting for an answer"),
        lambda user: dashboard.scoped_count(
            Application.objects.filter(status=ApplicationStatus.PENDING), user, "opportunity__organization__districts"
        ),
        dashboard.changelist("ngos.application", f"status__exact={ApplicationStatus.PENDING}"),
        order=90,
    )
    dashboard.register_series(
        "organizations",
        _("New organisations"),
        lambda user, since: dashboard.daily_counts(Organization.objects.all(), user, "districts", "created_at", since),
        order=30,
    )
