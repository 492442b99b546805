"""Following: the services, the database rule, the buttons on the four pages, and the anonymous page cache."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction
from django.template import Context, RequestContext, Template
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from core.pagecache import HIT_HEADER
from notifications.models import Subscription
from notifications.services import is_subscribed, subscribe, subscribers_of, unsubscribe
from notifications.subscriptions import kind_of, kinds
from tests import factories

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def targets(district, neighborhood):
    """One object of each kind, with the path of its public page."""
    organization = factories.VerifiedOrganizationFactory(city=district.city, districts=[district])
    return {
        "project": (factories.ProjectFactory(district=district, neighborhoods=[neighborhood]), "/projects/{}/"),
        "neighborhood": (neighborhood, "/neighborhoods/{}/"),
        "district": (district, "/districts/{}/"),
        "organization": (organization, "/organizations/{}/"),
    }


KINDS = ["project", "neighborhood", "district", "organization"]


def test_the_four_kinds_are_registered_by_their_apps():
    assert {kind.name for kind in kinds()} == set(KINDS)
    assert {kind.model._meta.label for kind in kinds()} == {
        "projects.Project",
        "places.Neighborhood",
        "places.District",
        "ngos.Organization",
    }


# --- services -----------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_subscribe_unsubscribe_and_is_subscribed(targets, citizen, kind):
    target = targets[kind][0]
    assert not is_subscribed(user=citizen, target=target)
    assert subscribe(user=citizen, target=target) is True
    assert subscribe(user=citizen, target=target) is False  # already following: nothing new
    assert is_subscribed(user=citizen, target=target)
    assert Subscription.objects.filter(user=citizen).count() == 1
    assert list(subscribers_of([target])) == [citizen]
    assert unsubscribe(user=citizen, target=target) is True
    assert unsubscribe(user=citizen, target=target) is False
    assert not is_subscribed(user=citizen, target=target)


def test_the_database_allows_one_follow_per_person_and_object(targets, citizen):
    project = targets["project"][0]
    factories.SubscriptionFactory(user=citizen, target=project)
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.SubscriptionFactory(user=citizen, target=project)
    assert Subscription.objects.filter(user=citizen).count() == 1


def test_the_same_id_of_two_kinds_is_two_different_things(district, citizen):
    project = factories.ProjectFactory(pk=10_000, district=district)
    twin = factories.DistrictFactory(pk=10_000, city=district.city)
    subscribe(user=citizen, target=twin)
    assert is_subscribed(user=citizen, target=twin)
    assert not is_subscribed(user=citizen, target=project)
    assert list(subscribers_of([project])) == []
    assert subscribe(user=citizen, target=project) is True  # not a duplicate of the district's follow
    assert Subscription.objects.filter(user=citizen).count() == 2


def test_visitors_and_unfollowable_objects_are_refused(targets, citizen):
    from django.contrib.auth.models import AnonymousUser

    with pytest.raises(PermissionDenied):
        subscribe(user=AnonymousUser(), target=targets["project"][0])
    with pytest.raises(PermissionDenied):
        unsubscribe(user=AnonymousUser(), target=targets["project"][0])
    assert not is_subscribed(user=AnonymousUser(), target=targets["project"][0])
    with pytest.raises(ValidationError):
        subscribe(user=citizen, target=factories.CommentFactory())
    assert kind_of(factories.CommentFactory()) is None
    assert not Subscription.objects.exists()


def test_a_draft_organisation_cannot_be_followed_but_can_be_left(district, citizen):
    draft = factories.OrganizationFactory(city=district.city, districts=[district])
    with pytest.raises(PermissionDenied):
        subscribe(user=citizen, target=draft)
    followed = factories.VerifiedOrganizationFactory(city=district.city, districts=[district])
    subscribe(user=citizen, target=followed)
    followed.status = "suspended"
    followed.save(update_fields=["status"])
    assert unsubscribe(user=citizen, target=followed) is True  # leaving is always allowed


def test_deleting_an_object_removes_its_follows(targets, citizen):
    project = targets["project"][0]
    for target, _page in targets.values():
        subscribe(user=citizen, target=target)
    project.delete()
    assert Subscription.objects.filter(user=citizen).count() == 3
    assert not Subscription.objects.filter(target_id=project.pk, target_type__model="project").exists()


def test_subscribers_of_many_targets_is_one_query(targets, citizen, stranger):
    everyone = [citizen, stranger, *[factories.UserFactory() for _ in range(5)]]
    for user in everyone:
        for target, _page in targets.values():
            subscribe(user=user, target=target)
    inactive = factories.UserFactory(is_active=False)
    factories.SubscriptionFactory(user=inactive, target=targets["project"][0])
    with CaptureQueriesContext(connection) as ctx:
        found = list(subscribers_of([target for target, _page in targets.values()]))
    assert len(ctx.captured_queries) == 1
    assert sorted(user.pk for user in found) == sorted(user.pk for user in everyone)  # each once, active only


# --- pages ----------------------------------------------------------------------------------
@pytest.mark.parametrize("kind", KINDS)
def test_each_page_has_a_follow_button_that_works_without_javascript(client_for, targets, citizen, kind):
    target, page = targets[kind]
    url = page.format(target.pk)
    client = client_for(citizen)
    html = client.get(url).content.decode()
    assert f'action="/follow/{kind}/{target.pk}/"' in html
    assert 'value="follow"' in html and "دنبال کردن</button>" in html

    response = client.post(f"/follow/{kind}/{target.pk}/", {"action": "follow", "next": url})
    assert response.status_code == 302 and response["Location"] == url
    assert is_subscribed(user=citizen, target=target)
    html = client.get(url).content.decode()
    assert "لغو دنبال کردن</button>" in html and 'class="follow-state"' in html and "دنبال می‌کنید" in html

    response = client.post(f"/follow/{kind}/{target.pk}/", {"action": "unfollow", "next": url})
    assert response.status_code == 302
    assert not is_subscribed(user=citizen, target=target)


@pytest.mark.parametrize("kind", KINDS)
def test_htmx_gets_the_button_back_with_the_same_id(client_for, targets, citizen, kind):
    target, _page = targets[kind]
    client = client_for(citizen)
    response = client.post(f"/follow/{kind}/{target.pk}/", {"action": "follow"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 200 and "<html" not in html
    assert f'id="follow-{kind}-{target.pk}"' in html  # focus goes back to the same button
    assert 'value="unfollow"' in html and "لغو دنبال کردن" in html
    assert f'aria-describedby="follow-state-{kind}-{target.pk}"' in html
    html = client.post(f"/follow/{kind}/{target.pk}/", {"action": "unfollow"}, **HTMX).content.decode()
    assert f'id="follow-{kind}-{target.pk}"' in html and 'value="follow"' in html
    assert 'class="follow-state"' not in html


def test_the_project_page_keeps_its_own_follow_url(client_for, targets, citizen):
    project = targets["project"][0]
    response = client_for(citizen).post(f"/projects/{project.pk}/follow/", {"action": "follow"})
    assert response.status_code == 302 and response["Location"] == f"/projects/{project.pk}/"
    assert is_subscribed(user=citizen, target=project)


def test_no_open_redirect_and_unknown_things_are_404(client_for, targets, citizen):
    project = targets["project"][0]
    client = client_for(citizen)
    response = client.post(f"/follow/project/{project.pk}/", {"action": "follow", "next": "https://evil.example/"})
    assert response["Location"] == f"/projects/{project.pk}/"
    assert client.post(f"/follow/planet/{project.pk}/", {"action": "follow"}).status_code == 404
    assert client.post("/follow/project/999999/", {"action": "follow"}).status_code == 404
    draft = factories.OrganizationFactory()
    assert client.post(f"/follow/organization/{draft.pk}/", {"action": "follow"}).status_code == 404


def test_visitors_are_sent_to_sign_in(client, targets):
    project = targets["project"][0]
    response = client.post(f"/follow/project/{project.pk}/", {"action": "follow"})
    assert response.status_code == 302 and "/login/" in response["Location"]
    response = client.post(f"/follow/project/{project.pk}/", {"action": "follow"}, **HTMX)
    assert response.status_code == 204 and "/login/" in response["HX-Redirect"]
    assert not Subscription.objects.exists()


def test_too_many_follows_are_refused_in_place(client_for, targets, citizen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_follow": (1, 600)}
    target = targets["district"][0]
    client = client_for(citizen)
    client.post(f"/follow/district/{target.pk}/", {"action": "follow"}, **HTMX)
    response = client.post(f"/follow/district/{target.pk}/", {"action": "unfollow"}, **HTMX)
    html = response.content.decode()
    assert response.status_code == 429 and response["Retry-After"]
    assert 'role="alert"' in html and 'value="unfollow"' in html  # still following, and told why
    assert is_subscribed(user=citizen, target=target)
    assert client.post(f"/follow/district/{target.pk}/", {"action": "unfollow"}).status_code == 429


def test_follow_button_template_tag(citizen, neighborhood):
    subscribe(user=citizen, target=neighborhood)
    request = RequestFactory().get("/neighborhoods/1/")
    request.user = citizen
    html = Template("{% load follows %}{% follow_button hood %}").render(
        RequestContext(request, {"hood": neighborhood})
    )
    assert f'action="/follow/neighborhood/{neighborhood.pk}/"' in html and 'value="unfollow"' in html
    anonymous = Template("{% load follows %}{% follow_button hood %}").render(Context({"hood": neighborhood}))
    assert "/follow/" not in anonymous


@pytest.mark.parametrize("kind", KINDS)
def test_follow_state_never_reaches_the_anonymous_page_cache(targets, citizen, kind):
    """A follower's pages are their own; the cached anonymous copy shows only the sign-in link."""
    target, page = targets[kind]
    url = page.format(target.pk)
    subscribe(user=citizen, target=target)
    follower = Client()
    follower.force_login(citizen, backend="accounts.backends.PhoneOrEmailBackend")
    visitor = Client()

    mine = follower.get(url)
    assert HIT_HEADER not in mine and 'value="unfollow"' in mine.content.decode()
    first = visitor.get(url)
    second = visitor.get(url)
    assert (first[HIT_HEADER], second[HIT_HEADER]) == ("miss", "hit")
    for response in (first, second):
        html = response.content.decode()
        assert "/follow/" not in html and "دنبال می‌کنید" not in html
        assert "برای دنبال کردن وارد شوید" in html
    again = follower.get(url)
    assert HIT_HEADER not in again and 'value="unfollow"' in again.content.decode()
