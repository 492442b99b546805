"""A small portal that grows: every list and page has rows to show, then many more.

``World.grow(n)`` adds ``n`` of everything each page lists (projects, comments
with replies, supports, follows, organisations, board members, need reports,
plans, meetings, opportunities, applications, rounds, ideas, notifications),
so a query-count test can measure a page, grow the data and measure again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from ngos.models import OrganizationActivity
from projects.models import CommentStatus, Project
from tests import factories


@dataclass
class World:
    district: object
    neighborhood: object
    citizen: object
    manager: object
    staff: object
    project: object = None
    organization: object = None
    board: object = None
    need: object = None
    plan: object = None
    meeting: object = None
    opportunity: object = None
    budgeting_round: object = None
    idea_round: object = None
    notification: object = None
    size: int = 0
    others: list = field(default_factory=list)

    @classmethod
    def build(cls, *, district, neighborhood, citizen, staff) -> World:
        manager = factories.UserFactory()
        world = cls(district=district, neighborhood=neighborhood, citizen=citizen, manager=manager, staff=staff)
        city = district.city
        world.project = factories.ProjectFactory(district=district, neighborhoods=[neighborhood])
        world.organization = factories.VerifiedOrganizationFactory(
            city=city, districts=[district], neighborhoods=[neighborhood], managers=[manager]
        )
        world.board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
        factories.NeighborhoodHouseFactory(neighborhood=neighborhood)
        world.need = factories.NeedReportFactory(neighborhood=neighborhood, reporter=citizen)
        world.plan = factories.PlanFactory(organization=world.organization, target_neighborhoods=[neighborhood])
        world.meeting = factories.MeetingFactory(city=city, district=district)
        world.opportunity = factories.OpportunityFactory(organization=world.organization, district=district)
        factories.VolunteerProfileFactory(user=citizen, districts=[district])
        world.budgeting_round = factories.BudgetingRoundFactory(district=district, eligible_projects=[world.project])
        world.idea_round = factories.IdeaRoundFactory(city=city)
        world.notification = factories.NotificationFactory(recipient=citizen)
        for target in (neighborhood, district, world.organization):  # the follow buttons show "following"
            factories.SubscriptionFactory(user=citizen, target=target)
        return world

    def grow(self, n: int) -> World:
        """Add ``n`` more of every listed thing; the main objects gain children too."""
        city = self.district.city
        project, organization = self.project, self.organization
        for _ in range(n):
            voter = factories.UserFactory()
            other = factories.ProjectFactory(district=self.district, neighborhoods=[self.neighborhood])
            self.others.append(other)
            factories.PhaseChangeFactory(project=project)
            factories.ProjectUpdateFactory(project=project, author=self.staff)
            top = factories.CommentFactory(project=project, author=voter)
            factories.CommentFactory(project=project, author=self.citizen, parent=top)
            factories.CommentFactory(project=other, author=voter)
            factories.CommentFactory(project=project, author=self.citizen, status=CommentStatus.PENDING)
            factories.CommentFlagFactory(comment=top, user=self.citizen)
            factories.SupportFactory(project=project, user=voter)
            factories.SupportFactory(project=other, user=self.citizen)
            factories.SubscriptionFactory(user=self.citizen, target=other)
            factories.SubscriptionFactory(user=voter, target=project)
            Project.objects.filter(pk__in=[project.pk, other.pk]).update(
                support_count=F("support_count") + 1, comment_count=F("comment_count") + 2
            )
            org = factories.VerifiedOrganizationFactory(
                city=city, districts=[self.district], neighborhoods=[self.neighborhood], managers=[self.manager]
            )
            OrganizationActivity.objects.create(organization=org, code="environment")
            for target in (self.neighborhood, self.district, organization, org):
                factories.SubscriptionFactory(user=voter, target=target)
            factories.trustee_of(self.board)
            factories.TrusteeshipFactory(board=self.board)
            factories.NeedReportFactory(neighborhood=self.neighborhood, reporter=voter)
            factories.PlanFactory(organization=organization, target_neighborhoods=[self.neighborhood])
            factories.MeetingFactory(city=city, district=self.district)
            factories.MeetingFactory(city=city, starts_at=timezone.now() - dt.timedelta(days=3))
            opportunity = factories.OpportunityFactory(organization=organization, district=self.district)
            factories.ApplicationFactory(opportunity=opportunity, volunteer=self.citizen)
            factories.ApplicationFactory(opportunity=self.opportunity, volunteer=voter)
            factories.BudgetingRoundFactory(district=self.district, eligible_projects=[other])
            self.budgeting_round.eligible_projects.add(other)
            factories.BallotFactory(round=self.budgeting_round, voter=voter, projects=[project])
            factories.IdeaFactory(round=self.idea_round, neighborhood=self.neighborhood, author=self.citizen)
            factories.NotificationFactory(recipient=self.citizen)
        self.size += n
        return self
