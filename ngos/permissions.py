"""Who may do what to organisations, plans, meetings and volunteer records.

Pages, the API, the admin and the services all ask these functions, so a rule
is written once. Staff scope comes from ``accounts.permissions``.
"""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import Role
from accounts.permissions import (
    can_act_in_any_district,
    can_act_in_district,
    is_staff_member,
    scope_to_districts,
    staff_district_ids,
)
from ngos.models import (
    Application,
    ApplicationStatus,
    Meeting,
    Membership,
    Opportunity,
    Organization,
    OrganizationStatus,
    Plan,
    PlanStatus,
)


# --- organisations ------------------------------------------------------------
def organizations_managed_by(user) -> QuerySet[Organization]:
    """The organisations ``user`` manages: where every manager's page starts."""
    if not user.is_authenticated:
        return Organization.objects.none()
    return Organization.objects.filter(pk__in=Membership.objects.filter(user=user).values("organization_id"))


def organizations_reviewable_by(user) -> QuerySet[Organization]:
    """Organisations serving a district in the user's staff scope."""
    if not is_staff_member(user):
        return Organization.objects.none()
    return scope_to_districts(Organization.objects.all(), user, "districts")


def organizations_visible_to(user) -> QuerySet[Organization]:
    """Verified ones, plus those the user manages or reviews as staff."""
    if not user.is_authenticated:
        return Organization.objects.public()
    managed = Membership.objects.filter(user=user).values("organization_id")
    reviewable = organizations_reviewable_by(user).values("pk")
    return Organization.objects.filter(Q(status=OrganizationStatus.VERIFIED) | Q(pk__in=managed) | Q(pk__in=reviewable))


def is_manager(user, organization: Organization) -> bool:
    if not user.is_authenticated or not user.is_active or organization.pk is None:
        return False
    return Membership.objects.filter(user=user, organization=organization).exists()


def _district_ids(organization: Organization) -> set[int]:
    if "districts" in getattr(organization, "_prefetched_objects_cache", {}):
        return {district.pk for district in organization.districts.all()}  # no query when prefetched
    return set(organization.districts.values_list("id", flat=True))


def can_view_organization(user, organization: Organization) -> bool:
    """Everyone sees verified organisations; managers and staff in scope see the rest."""
    return (
        organization.status == OrganizationStatus.VERIFIED
        or is_manager(user, organization)
        or can_review_organization(user, organization)
    )


def can_edit_organization(user, organization: Organization) -> bool:
    """Managers edit their organisation until it is rejected."""
    return is_manager(user, organization) and organization.status != OrganizationStatus.REJECTED


def can_submit_organization(user, organization: Organization) -> bool:
    return is_manager(user, organization) and organization.status == OrganizationStatus.DRAFT


def can_manage_managers(user, organization: Organization) -> bool:
    return can_edit_organization(user, organization)


def can_review_organization(user, organization: Organization) -> bool:
    """Staff whose districts the organisation serves, never for their own organisation."""
    if not is_staff_member(user) or is_manager(user, organization):
        return False
    if staff_district_ids(user) is None:
        return True
    return can_act_in_any_district(user, _district_ids(organization))


def can_download_licence(user, organization: Organization) -> bool:
    """The licence scan carries personal details: managers and staff in scope only, even on a public profile.

    City admins are staff whose scope is every district of their city.
    """
    return is_manager(user, organization) or can_review_organization(user, organization)


# --- plans ----------------------------------------------------------------------
def can_submit_plan(user, organization: Organization) -> bool:
    return is_manager(user, organization) and organization.status == OrganizationStatus.VERIFIED


def can_resubmit_plan(user, plan: Plan) -> bool:
    return plan.status == PlanStatus.RETURNED and is_manager(user, plan.organization)


def plans_reviewable_by(user) -> QuerySet[Plan]:
    """Plans aimed at a neighbourhood in the user's staff scope."""
    if not is_staff_member(user):
        return Plan.objects.none()
    return scope_to_districts(Plan.objects.all(), user, "target_neighborhoods__district")


def can_review_plan(user, plan: Plan) -> bool:
    if not is_staff_member(user) or is_manager(user, plan.organization):
        return False
    if staff_district_ids(user) is None:
        return True
    districts = set(plan.target_neighborhoods.values_list("district_id", flat=True))
    return can_act_in_any_district(user, districts)


def can_view_plan(user, plan: Plan) -> bool:
    return is_manager(user, plan.organization) or can_review_plan(user, plan)


def can_download_plan_attachment(user, plan: Plan) -> bool:
    """The attachment is part of the plan: whoever may read the plan may read it, nobody else."""
    return can_view_plan(user, plan)


def plans_visible_to(user) -> QuerySet[Plan]:
    if not user.is_authenticated:
        return Plan.objects.none()
    managed = Plan.objects.filter(organization__in=organizations_managed_by(user))
    return Plan.objects.filter(pk__in=managed.values("pk")) | Plan.objects.filter(
        pk__in=plans_reviewable_by(user).values("pk")
    )


# --- meetings -------------------------------------------------------------------
def can_schedule_meeting(user, *, city, district=None) -> bool:
    """District staff for their districts; a city-wide meeting needs a city admin."""
    if not is_staff_member(user):
        return False
    if district is not None:
        return district.city_id == city.pk and can_act_in_district(user, district.pk)
    if staff_district_ids(user) is None:
        return True
    return user.role == Role.CITY_ADMIN and user.staff_city_id == city.pk


def meetings_managed_by(user) -> QuerySet[Meeting]:
    """Meetings of the user's districts, plus city-wide ones for a city admin of that city."""
    if not is_staff_member(user):
        return Meeting.objects.none()
    scope = staff_district_ids(user)
    if scope is None:
        return Meeting.objects.all()
    city_wide = Q(district__isnull=True, city_id=user.staff_city_id) if user.role == Role.CITY_ADMIN else Q(pk__in=[])
    return Meeting.objects.filter(Q(district__in=scope) | city_wide)


def can_publish_minutes(user, meeting: Meeting) -> bool:
    return can_schedule_meeting(user, city=meeting.city, district=meeting.district)


def can_rsvp(user, meeting: Meeting, organization: Organization) -> bool:
    """A manager answers for a verified organisation the meeting is meant for, before it starts."""
    if not is_manager(user, organization) or organization.status != OrganizationStatus.VERIFIED:
        return False
    if organization.city_id != meeting.city_id or meeting.starts_at <= timezone.now():
        return False
    return meeting.district_id is None or meeting.district_id in _district_ids(organization)


# --- volunteer club ---------------------------------------------------------------
def can_post_opportunity(user, organization: Organization) -> bool:
    return is_manager(user, organization) and organization.status == OrganizationStatus.VERIFIED


def can_manage_opportunity(user, opportunity: Opportunity) -> bool:
    return is_manager(user, opportunity.organization)


def can_decide_application(user, application: Application) -> bool:
    return application.status == ApplicationStatus.PENDING and is_manager(user, application.opportunity.organization)


def can_withdraw_application(user, application: Application) -> bool:
    return (
        user.is_authenticated
        and application.volunteer_id == user.pk
        and application.status in (ApplicationStatus.PENDING, ApplicationStatus.ACCEPTED)
    )


def applications_visible_to(user) -> QuerySet[Application]:
    """A volunteer's own applications and those sent to organisations the user manages."""
    if not user.is_authenticated:
        return Application.objects.none()
    return Application.objects.filter(volunteer=user) | Application.objects.filter(
        opportunity__organization__in=organizations_managed_by(user)
    )


def account_deletion_blocker(user) -> str | None:
    """An organisation must keep at least one manager: its last one hands it on before closing their account."""
    sole = list(
        Organization.objects.filter(pk__in=Membership.objects.filter(user=user).values("organization_id"))
        .annotate(managers=Count("memberships"))
        .filter(managers=1)
        .order_by("name")
        .values_list("name", flat=True)
    )
    if not sole:
        return None
    return _(
        "You are the only manager of %(organisations)s. Invite another manager and wait until they accept "
        "(or ask the district office) before deleting your account."
    ) % {"organisations": "، ".join(f"«{name}»" for name in sole)}
