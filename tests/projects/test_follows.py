import pytest
from django.db import IntegrityError, transaction
from django.template import Context, RequestContext, Template
from django.test import RequestFactory

from projects.models import Follow
from projects.services import follow, is_following, unfollow
from tests.projects.conftest import HTMX

pytestmark = pytest.mark.django_db


def test_follow_and_unfollow_a_project_and_a_neighbourhood(citizen, project, neighborhood):
    assert follow(user=citizen, target=project) is True
    assert follow(user=citizen, target=project) is False
    assert follow(user=citizen, target=neighborhood) is True
    assert is_following(user=citizen, target=project)
    assert Follow.objects.filter(user=citizen).count() == 2
    assert unfollow(user=citizen, target=project) is True
    assert unfollow(user=citizen, target=project) is False
    assert not is_following(user=citizen, target=project)
    assert is_following(user=citizen, target=neighborhood)


def test_a_follow_points_at_exactly_one_thing(citizen, project, neighborhood):
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=citizen, project=project, neighborhood=neighborhood)
    with pytest.raises(IntegrityError), transaction.atomic():
        Follow.objects.create(user=citizen)


def test_follow_pages_work_with_and_without_htmx(client_for, citizen, project, neighborhood):
    client = client_for(citizen)
    response = client.post(f"/follow/neighborhood/{neighborhood.pk}/", {"action": "follow", "next": "/"})
    assert response.status_code == 302 and response["Location"] == "/"
    assert is_following(user=citizen, target=neighborhood)
    response = client.post(f"/projects/{project.pk}/follow/", {"action": "follow"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and 'value="unfollow"' in html and "<html" not in html
    response = client.post(f"/follow/project/{project.pk}/", {"action": "unfollow", "next": "https://evil.example/"})
    assert response["Location"] == f"/projects/{project.pk}/"  # no open redirect
    assert not is_following(user=citizen, target=project)
    assert client.post(f"/follow/planet/{project.pk}/", {"action": "follow"}).status_code == 404


def test_follow_button_template_tag(citizen, neighborhood):
    follow(user=citizen, target=neighborhood)
    request = RequestFactory().get("/neighborhoods/1/")
    request.user = citizen
    html = Template("{% load follows %}{% follow_button hood %}").render(
        RequestContext(request, {"hood": neighborhood})
    )
    assert f'action="/follow/neighborhood/{neighborhood.pk}/"' in html
    assert 'value="unfollow"' in html
    anonymous = Template("{% load follows %}{% follow_button hood %}").render(Context({"hood": neighborhood}))
    assert "/follow/" not in anonymous
