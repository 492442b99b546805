import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from django.utils.html import escape

from accounts.identity import person_key
from accounts.models import User
from notifications.services import subscribe
from projects.models import Category, Comment, CommentStatus, Phase, Project, Support
from projects.services import project_change_phase, project_post_update
from tests import factories
from tests.projects.conftest import HTMX

pytestmark = pytest.mark.django_db


def _listing(client, query: str = "") -> str:
    response = client.get(f"/projects/{query}")
    assert response.status_code == 200
    return response.content.decode()


def test_list_filters_by_city_district_neighbourhood_phase_and_category(client, project, other_project, neighborhood):
    other_city_project = factories.ProjectFactory(title="پروژه شهر دیگر", category=Category.SPORT)
    mine, theirs, far = escape(project.title), escape(other_project.title), other_city_project.title
    html = _listing(client)
    assert mine in html and theirs in html and far in html
    html = _listing(client, f"?district={project.district_id}")
    assert mine in html and theirs not in html
    html = _listing(client, f"?neighborhood={neighborhood.pk}")
    assert mine in html and theirs not in html
    html = _listing(client, f"?city={other_city_project.district.city_id}")
    assert far in html and mine not in html
    html = _listing(client, "?category=sport")
    assert far in html and mine not in html
    project_change_phase(project=project, actor=None, to_phase=Phase.UNDER_REVIEW)
    html = _listing(client, "?phase=under_review")
    assert mine in html and theirs not in html


def test_unknown_filter_values_show_an_error_not_a_500(client, project):
    response = client.get("/projects/?district=999999&phase=nope")
    assert response.status_code == 200
    assert "field-error" in response.content.decode()


def test_persian_search_is_normalised(client, district):
    factories.ProjectFactory(district=district, title="احداث کتابخانه‌ی محله", description="")
    factories.ProjectFactory(district=district, title="نوسازی پارک", description="")
    html = _listing(client, "?search=كتابخانهي")  # Arabic kaf and yeh, no ZWNJ
    assert "احداث کتابخانه‌ی محله" in html and "نوسازی پارک" not in html
    html = _listing(client, "?search=احداث  کتابخانه")
    assert "احداث کتابخانه‌ی محله" in html


def test_sorting(client, district):
    today = timezone.localdate()
    old = factories.ProjectFactory(district=district, title="قدیمی", created_at=timezone.now() - dt.timedelta(days=9))
    popular = factories.ProjectFactory(district=district, title="پرطرفدار", support_count=50)
    discussed = factories.ProjectFactory(district=district, title="پربحث", comment_count=40)
    soon = factories.ProjectFactory(district=district, title="نزدیک پایان", end_date=today + dt.timedelta(days=2))
    factories.ProjectFactory(district=district, title="تمام‌شده", end_date=today - dt.timedelta(days=2))

    def first(ordering):
        html = _listing(client, f"?ordering={ordering}")
        return min((html.index(p.title), p.title) for p in (old, popular, discussed, soon) if p.title in html)[1]

    assert first("most_supported") == "پرطرفدار"
    assert first("most_discussed") == "پربحث"
    assert first("ending_soon") == "نزدیک پایان"
    html = _listing(client, "?ordering=newest")
    assert html.index("قدیمی") > html.index("پرطرفدار")


def test_pagination_and_htmx_results(client, district, settings):
    settings.PROJECTS_PAGE_SIZE = 5
    for _ in range(12):
        factories.ProjectFactory(district=district)
    html = _listing(client, "?page=3")
    assert html.count('class="card project-card"') == 2
    assert "صفحهٔ ۳ از ۳" in html
    partial = client.get("/projects/?page=2", **HTMX).content.decode()
    assert "<html" not in partial and partial.count('class="card project-card"') == 5


def test_project_page_shows_facts_progress_timeline_in_persian(client, project, district_staff):
    project.start_date = dt.date(2024, 8, 2)  # 12 Mordad 1403
    project.budget = 1_250_000
    project.progress = 40
    project.save()
    project_change_phase(project=project, actor=district_staff, to_phase=Phase.UNDER_REVIEW, note="بررسی کارشناسی")
    project_post_update(project=project, actor=district_staff, text="گزارش پیشرفت <b>مهم</b>")
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "۱۲ مرداد ۱۴۰۳" in html
    assert "۱٬۲۵۰٬۰۰۰" in html
    assert '<progress class="project-progress" max="100" value="40"' in html
    assert "بررسی کارشناسی" in html and "گزارش پیشرفت &lt;b&gt;مهم&lt;/b&gt;" in html
    assert "«پیشنهادشده» به «در حال بررسی»" in html
    assert "&lt;script&gt;" in html and "<script>alert" not in html  # the hostile title
    assert district_staff.phone not in html


def test_unknown_project_is_404(client):
    assert client.get("/projects/999999/").status_code == 404


def test_older_comments_page_and_htmx(client, project, settings):
    settings.PROJECT_COMMENTS_PAGE_SIZE = 3
    for i in range(5):
        factories.CommentFactory(project=project, text=f"نظر شماره {i}", created_at=timezone.now() - dt.timedelta(i))
    html = client.get(f"/projects/{project.pk}/").content.decode()
    assert "نظر شماره 0" in html and "نظر شماره 3" not in html and "comments_from=3" in html
    more = client.get(f"/projects/{project.pk}/?comments_from=3", **HTMX).content.decode()
    assert "<html" not in more and "نظر شماره 3" in more and "نظر شماره 4" in more


# --- query counts -------------------------------------------------------------------
def _fill(project: Project, count: int, prefix: int) -> None:
    users = User.objects.bulk_create(
        User(phone=f"+9893{prefix}{i:06d}", display_name=f"کاربر {i}", password="!") for i in range(count)
    )
    Support.objects.bulk_create(Support(project=project, user=u, voter_key=person_key(u.phone)) for u in users)
    tops = Comment.objects.bulk_create(
        Comment(project=project, author=u, text="نظر", status=CommentStatus.PUBLISHED) for u in users[: count // 2]
    )
    Comment.objects.bulk_create(
        Comment(project=project, parent=tops[i % len(tops)], author=u, text="پاسخ", status=CommentStatus.PUBLISHED)
        for i, u in enumerate(users[count // 2 :])
    )
    Project.objects.filter(pk=project.pk).update(support_count=count, comment_count=count)


def _count(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("signed_in", [False, True])
def test_project_page_queries_do_not_grow_with_comments_and_supports(client_for, client, district, signed_in):
    small = factories.ProjectFactory(district=district)
    large = factories.ProjectFactory(district=district)
    factories.ProjectUpdateFactory(project=small)
    factories.ProjectUpdateFactory(project=large)
    _fill(small, 10, 1)
    _fill(large, 1000, 2)
    viewer = factories.UserFactory()
    if signed_in:
        client = client_for(viewer)
        subscribe(user=viewer, target=large)
    few = _count(client, f"/projects/{small.pk}/")
    many = _count(client, f"/projects/{large.pk}/")
    assert few == many
    assert many <= 10


@pytest.mark.parametrize("signed_in", [False, True])
def test_project_list_queries_do_not_grow(client_for, client, district, neighborhood, signed_in):
    projects = [factories.ProjectFactory(district=district, neighborhoods=[neighborhood]) for _ in range(3)]
    if signed_in:
        client = client_for(factories.UserFactory())
    _count(client, "/projects/")  # warm up: the worker keeps the filters' place rows
    few = _count(client, "/projects/?ordering=most_discussed")
    for p in projects:
        _fill(p, 10, 3 + projects.index(p))
    for _ in range(25):
        factories.ProjectFactory(district=district, neighborhoods=[neighborhood])
    _fill(projects[0], 1000, 7)
    many = _count(client, "/projects/?ordering=most_discussed")
    assert few == many
    assert many <= 10


def test_home_shows_the_latest_projects_with_constant_queries(client, district, neighborhood):
    factories.ProjectFactory(district=district, neighborhoods=[neighborhood], title="تازه‌ترین پروژه")
    few = _count(client, "/")
    for _ in range(10):
        factories.ProjectFactory(district=district, neighborhoods=[neighborhood])
    assert _count(client, "/") == few
    client.get("/")
    factories.ProjectFactory(district=district, title="آخرین")
    assert "آخرین" in client.get("/").content.decode()
