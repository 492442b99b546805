"""The write path's shortcuts keep every answer exact: cached word list, Jalali twins."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from projects.models import CommentStatus, FlaggedWord
from projects.moderation import flagged_words
from projects.services import comment_post

pytestmark = pytest.mark.django_db


def test_flagged_word_list_is_read_once_then_follows_staff_edits_in_the_admin(client_for, city_admin, project, citizen):
    first = comment_post(project=project, author=citizen, text="زمان‌بندی پروژه گنجشکی است")
    assert not first.auto_flagged
    with CaptureQueriesContext(connection) as queries:
        flagged_words(project.district.city_id, use_defaults=True)
    assert not [q for q in queries if "flaggedword" in q["sql"]]  # served from the cache

    client = client_for(city_admin)
    response = client.post("/admin/projects/flaggedword/add/", {"city": project.district.city_id, "word": "گنجشکی"})
    assert response.status_code == 302
    held = comment_post(project=project, author=citizen, text="این طرح گنجشکی است")
    assert held.auto_flagged and held.status == CommentStatus.PENDING

    word = FlaggedWord.objects.get(word="گنجشکی")
    response = client.post(f"/admin/projects/flaggedword/{word.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302 and not FlaggedWord.objects.exists()
    again = comment_post(project=project, author=citizen, text="باز هم گنجشکی است")
    assert not again.auto_flagged


def test_api_writes_count_against_their_own_limit_not_also_the_write_throttle(api_as, project, citizen, settings):
    from rest_framework.throttling import SimpleRateThrottle

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_support": (3, 600)}
    original = SimpleRateThrottle.THROTTLE_RATES
    SimpleRateThrottle.THROTTLE_RATES = {**original, "write": "1/min"}
    try:
        api = api_as(citizen)
        url = f"/api/v1/projects/{project.pk}/support/"
        codes = [api.post(url).status_code, api.delete(url).status_code, api.post(url).status_code]
        over = api.delete(url)
        # Writes without a limit of their own still meet the write throttle.
        ballots = [api.post("/api/v1/budgeting-rounds/999999/ballot/").status_code for _ in range(2)]
    finally:
        SimpleRateThrottle.THROTTLE_RATES = original
    assert codes == [201, 200, 201]
    assert over.status_code == 429 and over.json()["code"] == "throttled"
    assert ballots[-1] == 429
    project.refresh_from_db()
    assert project.support_count == 1


def test_a_comment_bumps_the_page_versions_once_and_again_on_commit(
    client, project, citizen, post_moderation, monkeypatch, django_capture_on_commit_callbacks
):
    from core import pagecache
    from projects.topics import PROJECTS, project_topic

    page = f"/projects/{project.pk}/"
    assert client.get(page)[pagecache.HIT_HEADER] == "miss"
    assert client.get(page)[pagecache.HIT_HEADER] == "hit"
    sent: list[tuple[str, ...]] = []
    real = pagecache._bump_now
    monkeypatch.setattr(pagecache, "_bump_now", lambda topics: (sent.append(tuple(topics)), real(topics)))
    with django_capture_on_commit_callbacks(execute=True):
        comment_post(project=project, author=citizen, text="پیاده‌رو را زودتر تمام کنید")
    assert len(sent) == 2 and sent[0] == sent[1]
    assert set(sent[0]) >= {PROJECTS, project_topic(project.pk)}
    fresh = client.get(page)
    assert fresh[pagecache.HIT_HEADER] == "miss"
    assert "پیاده‌رو را زودتر تمام کنید" in fresh.content.decode()


def test_comments_and_supports_read_the_city_settings_with_the_project(api_as, project, citizen, post_moderation):
    api = api_as(citizen)
    with CaptureQueriesContext(connection) as queries:
        response = api.post(f"/api/v1/projects/{project.pk}/comments/", {"text": "سلام"}, format="json")
    assert response.status_code == 201 and response.json()["status"] == CommentStatus.PUBLISHED
    assert not [q for q in queries if 'FROM "projects_cityparticipationsettings"' in q["sql"]]
    with CaptureQueriesContext(connection) as queries:
        assert api.post(f"/api/v1/projects/{project.pk}/support/").status_code == 201
    assert not [q for q in queries if 'FROM "projects_cityparticipationsettings"' in q["sql"]]


def test_api_list_totals_are_counted_once_and_stay_exact_after_writes(api_client, project, district):
    from tests import factories

    def total() -> tuple[int, list[str]]:
        with CaptureQueriesContext(connection) as queries:
            response = api_client.get("/api/v1/projects/", {"district": district.pk})
        counts = [q["sql"] for q in queries if "COUNT(" in q["sql"]]
        return response.json()["count"], counts

    first, counted = total()
    assert first == 1 and counted
    again, counted = total()
    assert again == 1 and not counted  # the total came from the cache
    factories.ProjectFactory(district=district)
    assert total()[0] == 2
    project.delete()
    assert total()[0] == 1


def test_signed_in_list_totals_are_counted_fresh(api_as, citizen, project, district):
    api = api_as(citizen)
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            assert api.get("/api/v1/projects/", {"district": district.pk}).json()["count"] == 1
        assert [q for q in queries if "COUNT(" in q["sql"]]


def test_organisation_search_total_follows_new_organisations(api_client):
    from tests import factories

    def total() -> int:
        return api_client.get("/api/v1/organizations/", {"search": "سالمندان"}).json()["count"]

    before = total()
    factories.OrganizationFactory(name="کانون حمایت از سالمندان نمونه", status="verified")
    assert total() == before + 1
