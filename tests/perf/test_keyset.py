"""Keyset (cursor) pages of the API lists: stable under inserts, and as cheap deep as shallow."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from projects.models import Project
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _projects(district, count: int, *, start: dt.datetime, support_count: int | None = None) -> list[Project]:
    """``count`` projects one minute apart; equal ``support_count`` makes ties for the tie-breaker."""
    rows = []
    for index in range(count):
        project = Project(
            title=f"پروژه {index}",
            district=district,
            created_at=start + dt.timedelta(minutes=index),
            support_count=support_count if support_count is not None else index % 3,
        )
        project.refresh_search_fields()
        rows.append(project)
    return Project.objects.bulk_create(rows)


def _walk(api_client, url: str, *, between=None) -> list[int]:
    """Follow ``next`` links to the end; ``between()`` runs after each page."""
    seen: list[int] = []
    while url:
        response = api_client.get(url, HTTP_ACCEPT="application/json")
        assert response.status_code == 200, response.content
        body = response.json()
        assert "count" not in body
        seen += [row["id"] for row in body["results"]]
        url = body["next"]
        if between:
            between()
    return seen


@pytest.mark.parametrize("ordering", ["", "most_supported", "ending_soon"])
def test_cursor_pages_skip_nothing_and_repeat_nothing_while_rows_are_added(api_client, district, ordering):
    start = timezone.now() - dt.timedelta(days=2)
    _projects(district, 23, start=start)
    expected = [
        row["id"] for row in api_client.get(f"/api/v1/projects/?page_size=100&ordering={ordering}").json()["results"]
    ]
    later = iter(range(100))

    def insert_newer_project():
        # Newest first, most supported first, newest id first among equal end dates:
        # a new row sorts before every page already read, so it never shifts the next one.
        _projects(district, 1, start=timezone.now() + dt.timedelta(minutes=next(later)), support_count=99)

    seen = _walk(api_client, f"/api/v1/projects/?cursor=&page_size=5&ordering={ordering}", between=insert_newer_project)
    assert seen == expected


def test_a_deep_cursor_page_costs_what_the_first_costs(api_client, district):
    _projects(district, 30, start=timezone.now() - dt.timedelta(days=1))
    with CaptureQueriesContext(connection) as first:
        body = api_client.get("/api/v1/projects/?cursor=&page_size=5").json()
    url = body["next"]
    for _ in range(3):
        url = api_client.get(url).json()["next"]
    with CaptureQueriesContext(connection) as deep:
        deep_body = api_client.get(url).json()
    assert len(deep.captured_queries) == len(first.captured_queries)
    assert len(deep_body["results"]) == 5
    # Page five reads "rows after the cursor": no OFFSET, no COUNT.
    sql = " ".join(q["sql"] for q in deep.captured_queries).upper()
    assert "OFFSET" not in sql and "COUNT(" not in sql


def test_page_numbers_keep_working(api_client, district):
    _projects(district, 7, start=timezone.now() - dt.timedelta(days=1))
    body = api_client.get("/api/v1/projects/?page=2&page_size=5").json()
    assert body["count"] == 7 and len(body["results"]) == 2 and body["previous"]


@pytest.mark.parametrize("cursor", ["not-base64!", "WzFd", "WyJ4IiwieSJd"])
def test_a_forged_cursor_is_a_clear_400(api_client, district, cursor):
    _projects(district, 2, start=timezone.now())
    response = api_client.get(f"/api/v1/projects/?cursor={cursor}", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["errors"]["cursor"] == ["این نشانگر صفحه معتبر نیست؛ از صفحهٔ نخست دوباره شروع کنید."]


def test_comments_and_organisations_walk_by_cursor(api_client, district, citizen):
    project = factories.ProjectFactory(district=district)
    for _ in range(7):
        top = factories.CommentFactory(project=project, author=citizen)
        factories.CommentFactory(project=project, author=citizen, parent=top)
    comments = _walk(api_client, f"/api/v1/projects/{project.pk}/comments/?cursor=&page_size=4")
    assert comments == sorted(comments) and len(comments) == 14

    today = timezone.localdate()
    for index in range(5):
        factories.VerifiedOrganizationFactory(
            city=district.city, licence_expires_on=today + dt.timedelta(days=400 + index % 2) if index % 3 else None
        )
    everyone = {row["id"] for row in api_client.get("/api/v1/organizations/?page_size=100").json()["results"]}
    walked = _walk(api_client, "/api/v1/organizations/?cursor=&page_size=2&ordering=-licence_expiry")
    assert len(walked) == len(set(walked)) and set(walked) == everyone
