"""Every source service raises its event: the right people get a row, the actor none.

Each scenario calls the real service the pages, API and admin call, and
returns (the event key, who must be told, who must not be, the actor).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import pytest
from django.db import transaction
from django.test import TestCase
from django.utils import timezone

from accounts.models import User
from neighborhoods.services import need_report_change_status
from ngos.services.licences import licence_sweep
from ngos.services.lifecycle import (
    organization_reinstate,
    organization_reject,
    organization_request_changes,
    organization_suspend,
    organization_verify,
)
from ngos.services.managers import manager_invite
from ngos.services.plans import meeting_publish_minutes, meeting_schedule, plan_review
from ngos.services.volunteers import application_decide
from notifications.events import Channel
from notifications.models import Notification
from places.models import ModerationPolicy
from projects.models import CommentStatus, Phase, RoundStatus
from projects.services.budgeting import round_open, round_publish_results
from projects.services.comments import comment_moderate, comment_post
from projects.services.ideas import idea_accept, idea_return
from projects.services.projects import project_change_phase, project_post_update
from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Each scenario creates several users; full-strength hashing would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class World:
    district: object
    other_district: object
    neighborhood: object
    staff: User
    citizen: User
    stranger: User
    extra: dict = field(default_factory=dict)


@pytest.fixture
def world(district, other_district, neighborhood, district_staff, citizen, stranger):
    return World(district, other_district, neighborhood, district_staff, citizen, stranger)


def _org(w: World, status: str = "submitted", **kwargs):
    managers = [factories.UserFactory(), factories.UserFactory()]
    org = factories.OrganizationFactory(
        city=w.district.city, districts=[w.district], managers=managers, status=status, **kwargs
    )
    return org, managers


# --- scenarios: each returns (event, must be told, must not be, actor) -----------------
def need_report_status_changed(w: World):
    reporter = factories.trustee_of(factories.TrusteeBoardFactory(neighborhood=w.neighborhood)).user
    report = factories.NeedReportFactory(neighborhood=w.neighborhood, reporter=reporter)
    need_report_change_status(actor=w.staff, report=report, status="declined", note="تکراری")
    return "need_report_status_changed", [reporter], [w.stranger], w.staff


def organization_verified(w: World):
    org, managers = _org(w)
    organization_verify(user=w.staff, organization=org)
    return "organization_verified", managers, [w.stranger], w.staff


def organization_rejected(w: World):
    org, managers = _org(w)
    organization_reject(user=w.staff, organization=org, reason="مدارک ناقص")
    return "organization_rejected", managers, [w.stranger], w.staff


def organization_changes_requested(w: World):
    org, managers = _org(w)
    organization_request_changes(user=w.staff, organization=org, note="نشانی را کامل کنید")
    return "organization_changes_requested", managers, [w.stranger], w.staff


def organization_suspended(w: World):
    org, managers = _org(w, status="verified")
    organization_suspend(user=w.staff, organization=org, reason="شکایت")
    return "organization_suspended", managers, [w.stranger], w.staff


def organization_reinstated(w: World):
    org, managers = _org(w, status="suspended")
    organization_reinstate(user=w.staff, organization=org)
    return "organization_reinstated", managers, [w.stranger], w.staff


def _licence(w: World, expires_in: int, event: str):
    today = timezone.localdate()
    org, managers = _org(w, status="verified", licence_expires_on=today + dt.timedelta(days=expires_in))
    other, other_managers = _org(w, status="verified")  # a licence far from expiry
    licence_sweep(today=today)
    licence_sweep(today=today)  # a second run the same day tells nobody twice
    return event, managers, other_managers, None


def organization_licence_expired(w: World):
    return _licence(w, -1, "organization_licence_expired")


def organization_licence_expiring_7(w: World):
    return _licence(w, 5, "organization_licence_expiring")


def organization_licence_expiring_30(w: World):
    return _licence(w, 20, "organization_licence_expiring")


def manager_invited(w: World):
    org, managers = _org(w, status="verified")
    manager_invite(actor=managers[0], organization=org, phone=w.citizen.phone)
    return "manager_invited", [w.citizen], [managers[1], w.stranger], managers[0]


def _application(w: World, accept: bool):
    org, managers = _org(w, status="verified")
    application = factories.ApplicationFactory(opportunity=factories.OpportunityFactory(organization=org))
    application_decide(actor=managers[0], application=application, accept=accept)
    return [application.volunteer], [managers[1], w.stranger], managers[0]


def volunteer_application_accepted(w: World):
    return ("volunteer_application_accepted", *_application(w, accept=True))


def volunteer_application_declined(w: World):
    return ("volunteer_application_declined", *_application(w, accept=False))


def plan_reviewed(w: World):
    org, managers = _org(w, status="verified")
    plan = factories.PlanFactory(organization=org, target_neighborhoods=[w.neighborhood])
    plan_review(actor=w.staff, plan=plan, decision="returned", comment="بودجه را تفکیک کنید")
    return "plan_reviewed", managers, [w.stranger], w.staff


def _meeting_audience(w: World):
    _org_here, here = _org(w, status="verified")
    _draft, draft_managers = _org(w, status="draft")
    elsewhere = factories.OrganizationFactory(
        city=w.district.city, districts=[w.other_district], managers=[factories.UserFactory()], status="verified"
    )
    return here, [*draft_managers, elsewhere.memberships.get().user]


def meeting_scheduled(w: World):
    told, not_told = _meeting_audience(w)
    meeting_schedule(
        actor=w.staff,
        city=w.district.city,
        district=w.district,
        title="نشست هم‌اندیشی",
        starts_at=timezone.now() + dt.timedelta(days=3),
        place="سرای محله",
        agenda="تجربه‌ها",
    )
    return "meeting_scheduled", told, not_told, w.staff


def meeting_minutes_published(w: World):
    told, not_told = _meeting_audience(w)
    meeting = factories.MeetingFactory(
        city=w.district.city, district=w.district, starts_at=timezone.now() - dt.timedelta(hours=2)
    )
    meeting_publish_minutes(actor=w.staff, meeting=meeting, minutes="خلاصهٔ گفتگو")
    return "meeting_minutes_published", told, not_told, w.staff


def _project(w: World, **kwargs):
    return factories.ProjectFactory(district=w.district, neighborhoods=[w.neighborhood], **kwargs)


def comment_replied(w: World):
    factories.CityParticipationSettingsFactory(city=w.district.city, moderation_policy=ModerationPolicy.POST)
    project = _project(w)
    parent = factories.CommentFactory(project=project, author=w.citizen)
    own = factories.CommentFactory(project=project, author=w.stranger)
    comment_post(project=project, author=w.stranger, text="موافقم", parent=parent)
    comment_post(project=project, author=w.stranger, text="و یک نکته", parent=own)  # a reply to oneself
    return "comment_replied", [w.citizen], [], w.stranger


def _pending_comment(w: World):
    return factories.CommentFactory(
        project=_project(w), author=w.citizen, status=CommentStatus.PENDING, published_at=None
    )


def _decided(**kwargs) -> None:
    """The author's notice waits for the commit and a delay (none here: the task runs eagerly)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        comment_moderate(**kwargs)


def comment_approved(w: World):
    _decided(comment=_pending_comment(w), actor=w.staff, approve=True)
    return "comment_approved", [w.citizen], [w.stranger], w.staff


def comment_rejected(w: World):
    _decided(comment=_pending_comment(w), actor=w.staff, approve=False, reason="توهین")
    return "comment_rejected", [w.citizen], [w.stranger], w.staff


def _followed_project(w: World):
    project = _project(w)
    for user in (w.citizen, w.staff):  # the staff member follows it too, and is still not told
        factories.SubscriptionFactory(user=user, target=project)
    factories.SubscriptionFactory(user=w.stranger, target=_project(w))
    return project


def project_phase_changed(w: World):
    project_change_phase(project=_followed_project(w), actor=w.staff, to_phase=Phase.UNDER_REVIEW)
    return "project_phase_changed", [w.citizen], [w.stranger], w.staff


def project_update_posted(w: World):
    project_post_update(project=_followed_project(w), actor=w.staff, text="پیمانکار انتخاب شد")
    return "project_update_posted", [w.citizen], [w.stranger], w.staff


def _residents(w: World):
    """The citizen lives in the district, the stranger elsewhere; the staff member lives there too."""
    w.staff.home_neighborhood = w.neighborhood
    w.staff.save(update_fields=["home_neighborhood"])
    outsider = factories.UserFactory(
        home_neighborhood=factories.NeighborhoodFactory(area=factories.AreaFactory(district=w.other_district))
    )
    return [w.citizen], [w.stranger, outsider]


def budgeting_round_opened(w: World):
    told, not_told = _residents(w)
    budgeting_round = factories.BudgetingRoundFactory(
        district=w.district, status=RoundStatus.DRAFT, eligible_projects=[_project(w)]
    )
    round_open(budgeting_round=budgeting_round, actor=w.staff)
    return "budgeting_round_opened", told, not_told, w.staff


def budgeting_round_results(w: World):
    told, not_told = _residents(w)
    today = timezone.localdate()
    budgeting_round = factories.BudgetingRoundFactory(
        district=w.district,
        opens_on=today - dt.timedelta(days=10),
        closes_on=today - dt.timedelta(days=1),
        eligible_projects=[_project(w)],
    )
    round_publish_results(budgeting_round=budgeting_round, actor=w.staff)
    return "budgeting_round_results", told, not_told, w.staff


def idea_accepted(w: World):
    idea = factories.IdeaFactory(neighborhood=w.neighborhood, author=w.citizen)
    idea_accept(idea=idea, actor=w.staff)
    return "idea_accepted", [w.citizen], [w.stranger], w.staff


def idea_returned(w: World):
    idea = factories.IdeaFactory(neighborhood=w.neighborhood, author=w.citizen)
    idea_return(idea=idea, actor=w.staff, reason="خارج از محدوده")
    return "idea_returned", [w.citizen], [w.stranger], w.staff


SCENARIOS = [
    need_report_status_changed,
    organization_verified,
    organization_rejected,
    organization_changes_requested,
    organization_suspended,
    organization_reinstated,
    organization_licence_expired,
    organization_licence_expiring_7,
    organization_licence_expiring_30,
    manager_invited,
    volunteer_application_accepted,
    volunteer_application_declined,
    plan_reviewed,
    meeting_scheduled,
    meeting_minutes_published,
    comment_replied,
    comment_approved,
    comment_rejected,
    project_phase_changed,
    project_update_posted,
    budgeting_round_opened,
    budgeting_round_results,
    idea_accepted,
    idea_returned,
]


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.__name__)
def test_the_service_notifies_the_right_people(world, scenario, eager_tasks):
    event, told, not_told, actor = scenario(world)

    inbox = Notification.objects.filter(event=event, channel=Channel.IN_APP)
    assert sorted(inbox.values_list("recipient_id", flat=True)) == sorted(user.pk for user in told)
    assert not Notification.objects.filter(recipient__in=not_told).exists()
    if actor is not None:
        assert not Notification.objects.filter(recipient=actor).exists()
    for row in inbox:
        assert row.url.startswith("/") and not row.url.startswith("//")
        assert row.subject and row.target_id is not None


def test_an_event_reaches_only_the_recipients_not_other_events(world, eager_tasks):
    """One service call writes one kind of event: an approval is not also a rejection."""
    comment_approved(world)
    assert set(Notification.objects.values_list("event", flat=True)) == {"comment_approved"}


def test_a_rolled_back_service_call_writes_no_notification(world):
    project = _followed_project(world)
    with pytest.raises(RuntimeError), transaction.atomic():
        project_post_update(project=project, actor=world.staff, text="این گزارش پس گرفته می‌شود")
        assert Notification.objects.filter(event="project_update_posted").exists()
        raise RuntimeError("the surrounding transaction fails")
    assert not Notification.objects.exists()


def test_the_reply_link_points_at_the_reply_on_the_project_page(world):
    comment_replied(world)
    row = Notification.objects.get(event="comment_replied")
    assert row.url.startswith(f"/projects/{row.target.project_id}/#comment-")
