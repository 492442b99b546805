"""Anonymous pages come from the cache, and a write shows up on the very next anonymous view."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from core.pagecache import HIT_HEADER
from ngos.services import organization_verify
from places.models import ModerationPolicy
from projects.services import comment_post, support_cast
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def project(district, neighborhood):
    factories.CityParticipationSettingsFactory(city=district.city, moderation_policy=ModerationPolicy.POST)
    return factories.ProjectFactory(title="بوستان آزادی", district=district, neighborhoods=[neighborhood])


def _get(client, url, **extra):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, **extra)
    assert response.status_code == 200
    return response, len(ctx.captured_queries)


def _supporters(response) -> str:
    return re.search(r'class="support-count"><strong>([^<]+)</strong>', response.content.decode()).group(1)


def test_the_second_anonymous_view_costs_no_query_and_a_write_shows_at_once(client, project, citizen):
    url = f"/projects/{project.pk}/"
    first, _ = _get(client, url)
    second, queries = _get(client, url)
    assert first[HIT_HEADER] == "miss" and second[HIT_HEADER] == "hit"
    assert queries == 0
    assert _supporters(second) == "۰"

    support_cast(project=project, user=citizen)
    after_support, _ = _get(client, url)
    assert after_support[HIT_HEADER] == "miss"
    assert _supporters(after_support) == "۱"

    comment_post(project=project, author=citizen, text="نیمکت‌های بیشتری بگذارید")
    after_comment, _ = _get(client, url)
    assert "نیمکت‌های بیشتری بگذارید" in after_comment.content.decode()

    listing, _ = _get(client, "/projects/")
    assert "۱ نظر" in listing.content.decode() and "۱ حامی" in listing.content.decode()


def test_the_directory_shows_a_newly_verified_organisation_at_once(client, district, city_admin):
    factories.VerifiedOrganizationFactory(city=district.city, name="خیریه نخست", districts=[district])
    pending = factories.OrganizationFactory(
        city=district.city, name="انجمن سبز", districts=[district], status="submitted"
    )
    before, _ = _get(client, "/organizations/")
    assert _get(client, "/organizations/")[0][HIT_HEADER] == "hit"
    assert "انجمن سبز" not in before.content.decode()
    organization_verify(user=city_admin, organization=pending)
    after, _ = _get(client, "/organizations/")
    assert "انجمن سبز" in after.content.decode()


def test_signed_in_pages_are_never_cached_nor_leak(client, project, citizen):
    url = f"/projects/{project.pk}/"
    _get(client, url)  # the anonymous copy is cached
    client.force_login(citizen, backend="accounts.backends.PhoneOrEmailBackend")
    mine, _ = _get(client, url)
    assert not mine.has_header(HIT_HEADER)
    assert 'action="/accounts/logout/"' in mine.content.decode()
    client.logout()
    anonymous, _ = _get(client, url)
    assert anonymous[HIT_HEADER] == "hit"
    assert 'action="/accounts/logout/"' not in anonymous.content.decode()


def test_each_language_has_its_own_copy(client, project):
    persian, _ = _get(client, "/projects/")
    client.cookies["django_language"] = "en"
    english, _ = _get(client, "/projects/")
    assert english[HIT_HEADER] == "miss"
    assert 'lang="en"' in english.content.decode() and 'lang="fa"' in persian.content.decode()


def test_a_cached_page_carries_each_visitors_own_csrf_token(project):
    first = Client(enforce_csrf_checks=True)
    first.get("/projects/")
    second = Client(enforce_csrf_checks=True)
    page = second.get("/projects/")
    assert page[HIT_HEADER] == "hit"
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.content.decode()).group(1)
    switched = second.post("/i18n/setlang/", {"language": "en", "next": "/", "csrfmiddlewaretoken": token})
    assert switched.status_code == 302
