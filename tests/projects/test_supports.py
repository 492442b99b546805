import pytest
from django.core.exceptions import ValidationError

from projects.models import Phase, Support
from projects.services import support_cast, support_withdraw
from tests import factories
from tests.projects.conftest import HTMX

pytestmark = pytest.mark.django_db


def test_supporting_twice_keeps_one_row_and_exact_count(project, citizen, stranger):
    assert support_cast(project=project, user=citizen) is True
    assert support_cast(project=project, user=citizen) is False
    assert support_cast(project=project, user=stranger) is True
    project.refresh_from_db()
    assert project.support_count == 2 == Support.objects.filter(project=project).count()
    assert support_withdraw(project=project, user=citizen) is True
    assert support_withdraw(project=project, user=citizen) is False
    project.refresh_from_db()
    assert project.support_count == 1


def test_database_refuses_a_duplicate_support(project, citizen):
    from django.db import IntegrityError, transaction

    Support.objects.create(project=project, user=citizen)
    with pytest.raises(IntegrityError), transaction.atomic():
        Support.objects.create(project=project, user=citizen)


def test_residents_only_setting(project, citizen, stranger, city_settings, other_district):
    city_settings.support_residents_only = True
    city_settings.save()
    with pytest.raises(ValidationError):
        support_cast(project=project, user=stranger)  # no home neighbourhood
    outsider = factories.UserFactory(
        home_neighborhood=factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    )
    with pytest.raises(ValidationError):
        support_cast(project=project, user=outsider)
    assert support_cast(project=project, user=citizen) is True


def test_page_support_without_javascript(client_for, project, citizen):
    client = client_for(citizen)
    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"})
    assert response.status_code == 302
    assert response["Location"] == f"/projects/{project.pk}/#support"
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert "حمایت شما ثبت شد" in page
    assert 'name="action" value="withdraw"' in page
    project.refresh_from_db()
    assert project.support_count == 1
    client.post(f"/projects/{project.pk}/support/", {"action": "withdraw"})
    project.refresh_from_db()
    assert project.support_count == 0


def test_page_support_with_htmx_returns_the_partial(client_for, project, citizen):
    client = client_for(citizen)
    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="support"')
    assert "<html" not in html
    assert 'name="action" value="withdraw"' in html
    assert "۱" in html  # the count in Persian digits


def test_page_support_in_a_closed_phase_explains_why(client_for, district, citizen):
    project = factories.ProjectFactory(district=district, phase=Phase.IN_EXECUTION)
    client = client_for(citizen)
    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"}, **HTMX)
    assert response.status_code == 200
    assert "دیگر نمی‌توان" in response.content.decode()
    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"}, follow=True)
    assert "دیگر نمی‌توان" in response.content.decode()
    assert not Support.objects.exists()


def test_anonymous_support_goes_to_sign_in(client, project):
    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"}, **HTMX)
    assert response.status_code == 204
    assert response["HX-Redirect"].startswith("/accounts/login/")
    assert not Support.objects.exists()


def test_support_rate_limit_page_and_api(client_for, api_as, project, citizen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_support": (2, 600)}
    client = client_for(citizen)
    assert client.post(f"/projects/{project.pk}/support/", {"action": "support"}).status_code == 302
    assert client.post(f"/projects/{project.pk}/support/", {"action": "withdraw"}).status_code == 302
    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"})
    assert response.status_code == 429
    assert "بیش از حد مجاز" in response.content.decode()
    api = api_as(citizen)
    response = api.post(f"/api/v1/projects/{project.pk}/support/")
    assert response.status_code == 429
    assert response.json()["code"] == "throttled"
