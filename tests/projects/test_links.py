"""Links to the other apps: organisations and trustee boards as proposers, plans that become projects."""

import pytest
from django.core.exceptions import ValidationError

from ngos.models.choices import PlanStatus
from notifications.services import is_subscribed, subscribe
from projects.models import Phase, ProposerKind
from projects.services import project_create_from_plan
from tests import factories

pytestmark = pytest.mark.django_db


def test_an_accepted_plan_becomes_a_linked_proposed_project(district_staff, neighborhood, client):
    plan = factories.PlanFactory(target_neighborhoods=[neighborhood], status=PlanStatus.ACCEPTED)
    project = project_create_from_plan(plan=plan, actor=district_staff)
    assert project.phase == Phase.PROPOSED and project.source_plan == plan
    assert project.proposer_kind == ProposerKind.ORGANIZATION and project.proposer_organization == plan.organization
    assert project.budget == plan.estimated_budget and list(project.neighborhoods.all()) == [neighborhood]
    assert plan.resulting_project == project
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'href="/organizations/{plan.organization_id}/"' in html
    with pytest.raises(ValidationError):
        project_create_from_plan(plan=plan, actor=district_staff)  # once only


@pytest.mark.parametrize("status", [PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW, PlanStatus.RETURNED])
def test_only_accepted_plans(district_staff, neighborhood, status):
    plan = factories.PlanFactory(target_neighborhoods=[neighborhood], status=status)
    with pytest.raises(ValidationError):
        project_create_from_plan(plan=plan, actor=district_staff)


def test_follow_a_verified_organisation(client_for, citizen):
    organization = factories.VerifiedOrganizationFactory()
    assert subscribe(user=citizen, target=organization) is True
    assert is_subscribed(user=citizen, target=organization)
    client = client_for(citizen)
    response = client.post(f"/follow/organization/{organization.pk}/", {"action": "unfollow"})
    assert response.status_code == 302 and response["Location"] == f"/organizations/{organization.pk}/"
    assert not is_subscribed(user=citizen, target=organization)
    draft = factories.OrganizationFactory()
    assert client.post(f"/follow/organization/{draft.pk}/", {"action": "follow"}).status_code == 404


def test_trustee_board_as_proposer(district, neighborhood, api_client):
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    project = factories.ProjectFactory(
        district=district, proposer_kind=ProposerKind.TRUSTEE_BOARD, proposer_board=board
    )
    data = api_client.get(f"/api/v1/projects/{project.pk}/").json()
    assert data["proposer_board"] == board.pk and data["proposer_kind"] == "trustee_board"
