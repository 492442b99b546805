"""Plans (submitted → under review → accepted / returned → resubmitted) and meetings."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from core.audit import history
from ngos import services
from ngos.models import MeetingRsvp, PlanStatus
from tests import factories


@pytest.mark.django_db
def test_plan_review_cycle(manager, organization, neighborhood, district_staff, other_district_staff):
    plan = services.plan_submit(
        actor=manager,
        organization=organization,
        title="طرح کتابخانه",
        description="کتابخانهٔ کودک",
        target_neighborhoods=[neighborhood],
        estimated_budget=2_000_000_000,
    )
    assert plan.status == PlanStatus.SUBMITTED
    with pytest.raises(PermissionDenied):
        services.plan_review(actor=other_district_staff, plan=plan, decision="accepted")
    plan = services.plan_review(actor=district_staff, plan=plan, decision="under_review")
    with pytest.raises(ValidationError) as error:
        services.plan_review(actor=district_staff, plan=plan, decision="returned")
    assert "comment" in error.value.message_dict
    plan = services.plan_review(actor=district_staff, plan=plan, decision="returned", comment="بودجه را تفکیک کنید")
    plan = services.plan_resubmit(
        actor=manager,
        plan=plan,
        title="طرح کتابخانه",
        description="با بودجهٔ تفکیکی",
        target_neighborhoods=[neighborhood],
        estimated_budget=1_800_000_000,
    )
    assert plan.status == PlanStatus.SUBMITTED
    plan = services.plan_review(actor=district_staff, plan=plan, decision="accepted")
    assert plan.status == PlanStatus.ACCEPTED and plan.reviewed_by == district_staff
    with pytest.raises(ValidationError):  # accepted is final here; projects take it from there
        services.plan_review(actor=district_staff, plan=plan, decision="returned", comment="x")
    actions = [e.action for e in history(plan)]
    assert actions == ["plan.submitted", "plan.under_review", "plan.returned", "plan.resubmitted", "plan.accepted"]


@pytest.mark.django_db
def test_plan_must_target_the_organisations_city(manager, organization):
    with pytest.raises(ValidationError) as error:
        services.plan_submit(
            actor=manager,
            organization=organization,
            title="t",
            description="d",
            target_neighborhoods=[factories.NeighborhoodFactory()],
            estimated_budget=1,
        )
    assert "target_neighborhoods" in error.value.message_dict


@pytest.mark.django_db
def test_plan_pages(client_for, manager, organization, neighborhood):
    plan = factories.PlanFactory(
        organization=organization, target_neighborhoods=[neighborhood], status=PlanStatus.RETURNED,
        review_comment="توضیح بیشتر",
    )  # fmt: skip
    client = client_for(manager)
    listing = client.get(f"/organizations/{organization.pk}/plans/").content.decode()
    assert plan.title.split("<")[0].strip() in listing
    detail = client.get(f"/organizations/plans/{plan.pk}/").content.decode()
    assert "توضیح بیشتر" in detail and "۱٬۵۰۰٬۰۰۰٬۰۰۰" in detail


@pytest.mark.django_db
def test_meeting_rsvp_and_minutes(manager, organization, other_manager, other_organization, district, district_staff):
    meeting = services.meeting_schedule(
        actor=district_staff,
        city=district.city,
        district=district,
        title="نشست ماهانه",
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="سرای محله",
        agenda="تبادل تجربه",
    )
    services.meeting_rsvp(actor=manager, meeting=meeting, organization=organization, response="attending")
    services.meeting_rsvp(actor=manager, meeting=meeting, organization=organization, response="maybe")
    assert MeetingRsvp.objects.get(meeting=meeting).response == "maybe"
    with pytest.raises(PermissionDenied):  # the other organisation does not serve this district
        services.meeting_rsvp(actor=other_manager, meeting=meeting, organization=other_organization, response="maybe")
    with pytest.raises(ValidationError):  # not before it happened
        services.meeting_publish_minutes(actor=district_staff, meeting=meeting, minutes="x")
    meeting.starts_at = timezone.now() - dt.timedelta(hours=1)
    meeting.save()
    meeting = services.meeting_publish_minutes(actor=district_staff, meeting=meeting, minutes="صورت‌جلسه")
    assert meeting.minutes_published_at is not None


@pytest.mark.django_db
def test_city_wide_meeting_needs_a_city_admin(district, district_staff, city_admin):
    kwargs = {
        "city": district.city,
        "district": None,
        "title": "نشست شهر",
        "starts_at": timezone.now() + dt.timedelta(days=3),
        "place": "شهرداری",
        "agenda": "دستور",
    }
    with pytest.raises(PermissionDenied):
        services.meeting_schedule(actor=district_staff, **kwargs)
    assert services.meeting_schedule(actor=city_admin, **kwargs).district is None


@pytest.mark.django_db
def test_meeting_pages(client, client_for, manager, organization, district):
    meeting = factories.MeetingFactory(city=district.city, district=district)
    assert meeting.title.split("<")[0].strip() in client.get("/organizations/meetings/").content.decode()
    page = client_for(manager).get(f"/organizations/meetings/{meeting.pk}/").content.decode()
    assert 'name="response"' in page
    client.logout()
    assert 'name="response"' not in client.get(f"/organizations/meetings/{meeting.pk}/").content.decode()
