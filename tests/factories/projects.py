"""Factories for projects, participation, budgeting and ideas (hostile free text by default)."""

from __future__ import annotations

import datetime as dt

import factory
from django.utils import timezone

from accounts.identity import person_key
from places.models import CityParticipationSettings
from projects.models import (
    Ballot,
    BudgetingCycle,
    BudgetingRound,
    Category,
    Comment,
    CommentFlag,
    CommentStatus,
    FlagReason,
    Idea,
    IdeaRound,
    Phase,
    PhaseChange,
    Project,
    ProjectUpdate,
    RoundStatus,
    Support,
)
from tests.factories.core import HOSTILE, CityFactory, DistrictFactory, NeighborhoodFactory, UserFactory, hostile

__all__ = [
    "BallotFactory",
    "BudgetingCycleFactory",
    "BudgetingRoundFactory",
    "CityParticipationSettingsFactory",
    "CommentFactory",
    "CommentFlagFactory",
    "IdeaFactory",
    "IdeaRoundFactory",
    "PhaseChangeFactory",
    "ProjectFactory",
    "ProjectUpdateFactory",
    "SupportFactory",
]


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Project
        skip_postgeneration_save = True

    title = hostile("پروژه ")
    description = factory.LazyFunction(lambda: f"توضیح {HOSTILE}\nخط دوم")
    category = Category.GREEN_SPACE
    district = factory.SubFactory(DistrictFactory)
    budget = 1_000_000
    responsible_unit = hostile("واحد ")
    proposer_name = hostile("پیشنهاد ")
    phase = Phase.PROPOSED
    progress = 10

    @factory.post_generation
    def neighborhoods(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.neighborhoods.set(extracted)


class PhaseChangeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PhaseChange

    project = factory.SubFactory(ProjectFactory)
    from_phase = Phase.PROPOSED
    to_phase = Phase.UNDER_REVIEW
    note = hostile("یادداشت ")


class ProjectUpdateFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ProjectUpdate

    project = factory.SubFactory(ProjectFactory)
    text = hostile("گزارش ")


class CityParticipationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CityParticipationSettings
        django_get_or_create = ("city",)


class CommentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Comment

    project = factory.SubFactory(ProjectFactory)
    author = factory.SubFactory(UserFactory)
    text = hostile("نظر ")
    status = CommentStatus.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class CommentFlagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CommentFlag

    comment = factory.SubFactory(CommentFactory)
    user = factory.SubFactory(UserFactory)
    reason = FlagReason.INSULT
    note = hostile("گزارش ")


class SupportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Support

    project = factory.SubFactory(ProjectFactory)
    user = factory.SubFactory(UserFactory)
    voter_key = factory.LazyAttribute(lambda o: person_key(o.user.phone))


class BudgetingCycleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetingCycle

    city = factory.SubFactory(CityFactory)
    title = hostile("چرخه بودجه‌ریزی ")


class BudgetingRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BudgetingRound
        skip_postgeneration_save = True

    district = factory.SubFactory(DistrictFactory)
    cycle = factory.LazyAttribute(lambda o: BudgetingCycleFactory(city=o.district.city))
    title = hostile("بودجه‌ریزی ")
    description = hostile("شرح ")
    total_budget = 10_000_000
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    status = RoundStatus.OPEN

    @factory.post_generation
    def eligible_projects(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.eligible_projects.set(extracted)


class BallotFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Ballot
        skip_postgeneration_save = True

    round = factory.SubFactory(BudgetingRoundFactory)
    cycle = factory.LazyAttribute(lambda o: o.round.cycle)
    voter = factory.SubFactory(UserFactory)
    voter_key = factory.LazyAttribute(lambda o: person_key(o.voter.phone))
    district = factory.LazyAttribute(lambda o: o.round.district)

    @factory.post_generation
    def projects(obj, create, extracted, **kwargs):  # noqa: N805
        if create and extracted:
            obj.projects.set(extracted)


class IdeaRoundFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = IdeaRound

    city = factory.LazyFunction(lambda: DistrictFactory().city)
    title = hostile("فراخوان ")
    opens_on = factory.LazyFunction(lambda: timezone.localdate() - dt.timedelta(days=1))
    closes_on = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=30))


class IdeaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Idea

    neighborhood = factory.SubFactory(NeighborhoodFactory)
    round = factory.LazyAttribute(lambda o: IdeaRoundFactory(city=o.neighborhood.district.city))
    author = factory.SubFactory(UserFactory)
    title = hostile("ایده ")
    description = hostile("شرح ایده ")
