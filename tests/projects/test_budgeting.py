import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from projects.models import Ballot, BudgetingResult, Phase, RoundStatus
from projects.services import (
    ballot_submit,
    ballot_withdraw,
    compute_results,
    round_create,
    round_open,
    round_publish_results,
)
from projects.tasks import publish_closed_rounds
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def options(district):
    return [factories.ProjectFactory(district=district, budget=b, title=f"گزینه {b}") for b in (4, 5, 6)]


@pytest.fixture
def open_round(district, options):
    return factories.BudgetingRoundFactory(district=district, total_budget=10, eligible_projects=options)


def _resident(district):
    return factories.UserFactory(
        home_neighborhood=factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    )


def test_budget_cap(open_round, options, citizen):
    a, b, c = options
    ballot = ballot_submit(budgeting_round=open_round, voter=citizen, projects=[a, c])  # 4 + 6 = 10
    assert set(ballot.projects.all()) == {a, c}
    with pytest.raises(ValidationError) as err:
        ballot_submit(budgeting_round=open_round, voter=citizen, projects=[b, c])  # 11
    assert "projects" in err.value.message_dict
    assert set(Ballot.objects.get().projects.all()) == {a, c}  # the old ballot stands


def test_ballot_rules(open_round, options, citizen, stranger, other_district):
    with pytest.raises(ValidationError):
        ballot_submit(budgeting_round=open_round, voter=citizen, projects=[])
    outsider_project = factories.ProjectFactory(district=open_round.district, budget=1)
    with pytest.raises(ValidationError):
        ballot_submit(budgeting_round=open_round, voter=citizen, projects=[outsider_project])
    with pytest.raises(ValidationError):
        ballot_submit(budgeting_round=open_round, voter=stranger, projects=[options[0]])  # not a resident
    with pytest.raises(ValidationError):
        ballot_submit(budgeting_round=open_round, voter=_resident(other_district), projects=[options[0]])


def test_ballot_changes_until_close_then_frozen(open_round, options, citizen):
    a, b, c = options
    ballot_submit(budgeting_round=open_round, voter=citizen, projects=[a])
    ballot_submit(budgeting_round=open_round, voter=citizen, projects=[b])
    assert Ballot.objects.count() == 1
    assert list(Ballot.objects.get().projects.all()) == [b]
    open_round.closes_on = timezone.localdate() - dt.timedelta(days=1)
    open_round.save()
    with pytest.raises(ValidationError):
        ballot_submit(budgeting_round=open_round, voter=citizen, projects=[c])
    with pytest.raises(ValidationError):
        ballot_withdraw(budgeting_round=open_round, voter=citizen)
    assert list(Ballot.objects.get().projects.all()) == [b]


def test_round_not_open_yet(district, options, citizen):
    future = factories.BudgetingRoundFactory(
        district=district, opens_on=timezone.localdate() + dt.timedelta(days=1), eligible_projects=options
    )
    with pytest.raises(ValidationError):
        ballot_submit(budgeting_round=future, voter=citizen, projects=[options[0]])


def test_result_computation_with_a_tie():
    # (project id, ballots, budget); budget 10.
    rows = [(1, 5, 6), (2, 7, 5), (3, 5, 4), (4, 1, 1), (5, 0, 1)]
    results = compute_results(10, rows)
    assert [(r.project_id, r.rank, r.funded) for r in results] == [
        (2, 1, True),  # most ballots: 5 left
        (3, 2, True),  # tie on 5 ballots: the cheaper one first; 1 left
        (1, 3, False),  # does not fit any more
        (4, 4, True),  # still fits
        (5, 5, False),  # no ballots, never funded
    ]
    same_everything = compute_results(5, [(9, 3, 5), (8, 3, 5)])
    assert [(r.project_id, r.funded) for r in same_everything] == [(8, True), (9, False)]  # older first


def test_publish_results_end_to_end(open_round, options, district, district_staff):
    a, b, c = options
    for projects in ([a, b], [a, c], [b], [c]):
        ballot_submit(budgeting_round=open_round, voter=_resident(district), projects=projects)
    with pytest.raises(ValidationError):
        round_publish_results(budgeting_round=open_round, actor=district_staff)  # still open
    open_round.closes_on = timezone.localdate() - dt.timedelta(days=1)
    open_round.save()
    results = round_publish_results(budgeting_round=open_round, actor=district_staff)
    assert [(r.project_id, r.ballots, r.funded) for r in results] == [
        (a.pk, 2, True),  # 2 ballots, budget 4
        (b.pk, 2, True),  # 2 ballots, budget 5 (tie with c, cheaper)
        (c.pk, 2, False),  # 6 does not fit in the 1 left
    ]
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.PUBLISHED
    with pytest.raises(ValidationError):
        round_publish_results(budgeting_round=open_round, actor=district_staff)
    assert BudgetingResult.objects.count() == 3


def test_periodic_task_publishes_closed_rounds_once(open_round, citizen, options):
    ballot_submit(budgeting_round=open_round, voter=citizen, projects=[options[0]])
    assert publish_closed_rounds() == 0
    open_round.closes_on = timezone.localdate() - dt.timedelta(days=1)
    open_round.save()
    assert publish_closed_rounds() == 1
    assert publish_closed_rounds() == 0
    open_round.refresh_from_db()
    assert open_round.status == RoundStatus.PUBLISHED


def test_staff_create_and_open_a_round(district, options, district_staff, other_district_staff):
    with pytest.raises(PermissionDenied):
        round_create(
            actor=other_district_staff,
            district=district,
            title="x",
            total_budget=10,
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
        )
    draft = round_create(
        actor=district_staff,
        district=district,
        title="دوره",
        total_budget=10,
        opens_on=timezone.localdate(),
        closes_on=timezone.localdate() + dt.timedelta(days=3),
    )
    with pytest.raises(ValidationError):
        round_open(budgeting_round=draft, actor=district_staff)  # no projects yet
    draft.eligible_projects.set(options)
    round_open(budgeting_round=draft, actor=district_staff)
    assert draft.status == RoundStatus.OPEN
    completed = factories.ProjectFactory(district=district, phase=Phase.COMPLETED)
    with pytest.raises(ValidationError):
        round_create(
            actor=district_staff,
            district=district,
            title="x",
            total_budget=10,
            opens_on=timezone.localdate(),
            closes_on=timezone.localdate(),
            eligible_projects=[completed],
        )


def test_round_pages(client_for, client, open_round, options, citizen):
    page = client.get(f"/budgeting/{open_round.pk}/")
    assert page.status_code == 200 and "برای رأی دادن وارد شوید" in page.content.decode()
    assert "/budgeting/" in client.get("/budgeting/").content.decode()
    voter = client_for(citizen)
    too_much = voter.post(f"/budgeting/{open_round.pk}/", {"projects": [options[1].pk, options[2].pk]})
    assert too_much.status_code == 400 and "بیشتر است" in too_much.content.decode()
    assert voter.post(f"/budgeting/{open_round.pk}/", {"projects": [options[0].pk]}).status_code == 302
    assert list(Ballot.objects.get(voter=citizen).projects.all()) == [options[0]]
    assert voter.post(f"/budgeting/{open_round.pk}/ballot/withdraw/").status_code == 302
    assert not Ballot.objects.exists()
    draft = factories.BudgetingRoundFactory(status=RoundStatus.DRAFT)
    assert client.get(f"/budgeting/{draft.pk}/").status_code == 404


def test_results_page_and_api(client, api_client, open_round, options, citizen):
    ballot_submit(budgeting_round=open_round, voter=citizen, projects=[options[0]])
    open_round.closes_on = timezone.localdate() - dt.timedelta(days=1)
    open_round.save()
    round_publish_results(budgeting_round=open_round, actor=None)
    html = client.get(f"/budgeting/{open_round.pk}/").content.decode()
    assert "نتایج" in html and "۱ رأی ثبت شد" in html
    data = api_client.get(f"/api/v1/budgeting-rounds/{open_round.pk}/").json()
    assert data["status"] == "published" and data["results"][0]["project"] == options[0].pk
    assert data["closes_on_jalali"]


def test_ballot_api(api_as, api_client, open_round, options, citizen):
    assert api_client.get(f"/api/v1/budgeting-rounds/{open_round.pk}/ballot/").status_code in (401, 403)
    api = api_as(citizen)
    assert api.get(f"/api/v1/budgeting-rounds/{open_round.pk}/ballot/").status_code == 404
    url = f"/api/v1/budgeting-rounds/{open_round.pk}/ballot/"
    over = api.put(url, {"projects": [options[1].pk, options[2].pk]}, format="json")
    assert over.status_code == 400 and "projects" in over.json()["errors"]
    ok = api.put(url, {"projects": [options[0].pk, options[2].pk]}, format="json")
    assert ok.status_code == 200 and sorted(ok.json()["projects"]) == sorted([options[0].pk, options[2].pk])
    assert api.get(url).json()["projects"]
    assert api.delete(url).status_code == 204
    assert not Ballot.objects.exists()
