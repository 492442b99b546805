"""Moving home changes where a citizen takes part next, never where they already took part.

A support and a ballot keep the district they were cast as; one budgeting
cycle (district rounds opened together) takes one ballot per person, so a
move between its districts buys no second vote, on the page or the API. Run
on PostgreSQL too: the database's unique constraint is what refuses it.
"""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from accounts.residency import residency_allow_early_move, user_set_home
from projects.models import Ballot, Support
from projects.services import ballot_submit, support_cast
from tests import factories

pytestmark = pytest.mark.django_db

ALREADY = "شما در این چرخهٔ بودجه‌ریزی پیش‌تر رأی داده‌اید"


@pytest.fixture
def other_hood(other_district):
    return factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))


@pytest.fixture
def cycle(district):
    return factories.BudgetingCycleFactory(city=district.city)


@pytest.fixture
def rounds(cycle, district, other_district):
    """Two district rounds of one cycle, opened together."""
    here = factories.ProjectFactory(district=district, budget=5)
    there = factories.ProjectFactory(district=other_district, budget=5)
    first = factories.BudgetingRoundFactory(district=district, cycle=cycle, total_budget=10, eligible_projects=[here])
    second = factories.BudgetingRoundFactory(
        district=other_district, cycle=cycle, total_budget=10, eligible_projects=[there]
    )
    return (first, here), (second, there)


def _move(citizen, hood, staff):
    """A real move before the cooldown ends: district staff allow it, then the citizen moves."""
    residency_allow_early_move(actor=staff, user=citizen, reason="اسباب‌کشی")
    user_set_home(user=citizen, neighborhood=hood)


def test_supports_keep_counting_where_they_were_cast(project, citizen, other_hood, district, district_staff):
    support_cast(project=project, user=citizen)
    _move(citizen, other_hood, district_staff)
    support = Support.objects.get(project=project, user=citizen)
    assert support.district_id == district.pk
    project.refresh_from_db()
    assert project.support_count == 1
    assert Support.objects.filter(project__district=district, district=district).count() == 1


def test_a_move_within_one_cycle_gives_no_second_ballot(rounds, citizen, other_hood, district, district_staff):
    (first, here), (second, there) = rounds
    ballot_submit(budgeting_round=first, voter=citizen, projects=[here])
    _move(citizen, other_hood, district_staff)
    with pytest.raises(ValidationError) as refused:
        ballot_submit(budgeting_round=second, voter=citizen, projects=[there])
    assert refused.value.code == "already_voted_in_cycle"
    ballot = Ballot.objects.get(voter=citizen)
    assert (ballot.round, ballot.district_id) == (first, district.pk)


def test_the_page_says_so_in_persian(client_for, rounds, citizen, other_hood, district_staff):
    (first, here), (second, there) = rounds
    client = client_for(citizen)
    assert client.post(first.get_absolute_url(), {"projects": [here.pk]}).status_code == 302
    _move(citizen, other_hood, district_staff)
    response = client.post(second.get_absolute_url(), {"projects": [there.pk]})
    assert response.status_code == 400 and ALREADY in response.content.decode()
    assert Ballot.objects.filter(voter=citizen).count() == 1


def test_the_api_says_so_in_persian(api_as, rounds, citizen, other_hood, district_staff):
    (first, here), (second, there) = rounds
    api = api_as(citizen)
    url = "/api/v1/budgeting-rounds/{}/ballot/"
    assert api.put(url.format(first.pk), {"projects": [here.pk]}, format="json").status_code == 200
    _move(citizen, other_hood, district_staff)
    response = api.put(url.format(second.pk), {"projects": [there.pk]}, format="json")
    assert response.status_code == 400
    assert ALREADY in response.json()["errors"]["non_field_errors"][0]
    assert Ballot.objects.filter(voter=citizen).count() == 1


def test_a_round_of_another_cycle_is_a_new_vote(rounds, citizen, other_hood, other_district, district_staff):
    (first, here), _second = rounds
    ballot_submit(budgeting_round=first, voter=citizen, projects=[here])
    _move(citizen, other_hood, district_staff)
    later = factories.ProjectFactory(district=other_district, budget=5)
    own_cycle = factories.BudgetingRoundFactory(district=other_district, total_budget=10, eligible_projects=[later])
    ballot_submit(budgeting_round=own_cycle, voter=citizen, projects=[later])
    assert Ballot.objects.filter(voter=citizen).count() == 2
