"""Links to the other apps: organisations and trustee boards as proposers, plans that become projects."""

import pytest
from django.core.exceptions import ValidationError

from ngos.models.choices import PlanStatus
from notifications.services import is_subscribed, subscribe
from projects.models import Phase, Project, ProposerKind
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


def test_the_api_makes_a_project_of_an_accepted_plan_once(api_as, district_staff, neighborhood):
    plan = factories.PlanFactory(target_neighborhoods=[neighborhood], status=PlanStatus.ACCEPTED)
    api = api_as(district_staff)
    url = f"/api/v1/plans/{plan.pk}/project/"
    created = api.post(url, format="json")
    assert created.status_code == 201, created.content
    project = Project.objects.get(source_plan=plan)
    assert created.json() == {"id": project.pk, "url": f"http://testserver/projects/{project.pk}/"}
    again = api.post(url, format="json")
    assert again.status_code == 400
    assert again.json()["errors"]["non_field_errors"] == ["این طرح پیش‌تر به پروژه تبدیل شده است."]
    assert Project.objects.filter(source_plan=plan).count() == 1


def test_the_api_refuses_a_plan_that_is_not_accepted_in_persian(api_as, district_staff, neighborhood):
    plan = factories.PlanFactory(target_neighborhoods=[neighborhood], status=PlanStatus.UNDER_REVIEW)
    response = api_as(district_staff).post(f"/api/v1/plans/{plan.pk}/project/", format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"] == ["فقط طرح پذیرفته‌شده می‌تواند به پروژه تبدیل شود."]
    assert not Project.objects.exists()


def test_the_plan_to_project_endpoint_is_in_the_api_schema(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    operation = schema["paths"]["/api/v1/plans/{id}/project/"]["post"]
    assert set(operation["responses"]) >= {"201", "400", "403", "404"}
    created = operation["responses"]["201"]["content"]["application/json"]["schema"]["$ref"]
    assert set(schema["components"]["schemas"][created.rsplit("/", 1)[-1]]["properties"]) == {"id", "url"}
    # The organisations' own plan endpoints are still listed at the API root.
    assert "plans" in client.get("/api/v1/", HTTP_ACCEPT="application/json").json()


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
