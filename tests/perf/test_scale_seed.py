"""``seed_demo --scale district``: the benchmark's data, loaded in bulk, must be as consistent as the services'."""

import io
import time

import pytest
from django.core.management import call_command
from django.db.models import Count, F, Q

from accounts.demo import DEMO_PASSWORD
from accounts.models import User
from civic_portal import scale
from core.persian import normalize
from ngos.models import Organization
from projects.demo import PROJECT_COUNT
from projects.models import Comment, CommentFlag, CommentStatus, Project, Support

pytestmark = pytest.mark.django_db

DISTRICT = scale.SCALES["district"]


@pytest.fixture(autouse=True)
def _postgresql_only():
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL: seed_demo --scale loads rows with COPY")


def seed() -> str:
    out = io.StringIO()
    call_command("seed_demo", scale="district", stdout=out)
    return out.getvalue()


def test_district_scale_loads_consistent_data_quickly_and_once(client):
    started = time.monotonic()
    output = seed()
    # Seconds on an idle two-core machine; the bound only catches a fall back to row-by-row saves.
    assert time.monotonic() - started < 90
    assert "Scale district loaded in" in output and "database size" in output

    bulk_users = User.objects.filter(phone__startswith=scale.USER_PHONE_PREFIX)
    assert bulk_users.count() == DISTRICT.users
    assert bulk_users.first().check_password(DEMO_PASSWORD)
    assert Project.objects.count() == PROJECT_COUNT + DISTRICT.projects
    bulk_projects = Project.objects.filter(pk__in=Project.objects.order_by("-pk").values("pk")[: DISTRICT.projects])
    bulk_orgs = Organization.objects.filter(created_by__phone__startswith=scale.USER_PHONE_PREFIX)
    assert bulk_orgs.count() == DISTRICT.organizations
    assert Support.objects.filter(user__in=bulk_users).count() == DISTRICT.expected_supports
    comments = Comment.objects.filter(project__in=bulk_projects)
    assert 0.9 * DISTRICT.comments < comments.count() < 1.1 * DISTRICT.comments

    # Counters agree with the rows, for every project in the database.
    mismatched = Project.objects.annotate(
        supports_n=Count("supports", distinct=True),
        published_n=Count("comments", filter=Q(comments__status=CommentStatus.PUBLISHED), distinct=True),
    ).exclude(support_count=F("supports_n"), comment_count=F("published_n"))
    assert list(mismatched.values_list("pk", flat=True)) == []
    flag_counts = Comment.objects.annotate(open_n=Count("flags", filter=Q(flags__resolved=False)))
    assert not flag_counts.exclude(open_flag_count=F("open_n")).exists()
    assert CommentFlag.objects.filter(comment__in=comments).count() > 0

    # Moderation as the services leave it: hidden only after enough flags; replies under published top-level comments.
    hidden = comments.filter(status=CommentStatus.HIDDEN)
    assert hidden.exists() and not hidden.filter(open_flag_count__lt=3).exists()
    assert comments.filter(status=CommentStatus.PENDING, published_at__isnull=True).exists()
    replies = comments.filter(parent__isnull=False)
    assert replies.count() > 0.15 * comments.count()
    assert not replies.filter(parent__parent__isnull=False).exists()
    assert not replies.exclude(parent__project=F("project")).exists()

    # The showcase project: a thousand published comments.
    showcase = Project.objects.order_by("-comment_count").first()
    assert showcase.comment_count == scale.SHOWCASE_COMMENTS
    assert f"/projects/{showcase.pk}/" in output

    # Search text comes from the one normaliser, including titles typed with Arabic ي/ك.
    arabic = bulk_projects.filter(title__contains="ي").first()
    assert arabic is not None
    assert arabic.title_normalized == normalize(arabic.title)
    assert arabic.search_text == f"{normalize(arabic.title)} {normalize(arabic.description)}"
    assert Project.objects.search(normalize(arabic.title)).filter(pk=arabic.pk).exists()
    org = bulk_orgs.filter(description__contains="ي").first()
    assert org.search_normalized == normalize(f"{org.name} {org.summary} {org.description}")
    assert not bulk_projects.filter(neighborhoods__isnull=True).exists()
    links = Project.neighborhoods.through.objects.filter(project__in=bulk_projects)
    assert not links.exclude(neighborhood__district=F("project__district")).exists()

    # The pages serve it.
    response = client.get(f"/projects/{showcase.pk}/")
    assert response.status_code == 200
    assert Comment.objects.filter(project=showcase).first().text in response.content.decode()
    assert client.get("/projects/", {"search": "احداث بوستان"}).status_code == 200

    counts = (User.objects.count(), Project.objects.count(), Comment.objects.count(), Support.objects.count())
    assert scale.load("district", io.StringIO()) is None  # already there: nothing added
    assert (User.objects.count(), Project.objects.count(), Comment.objects.count(), Support.objects.count()) == counts
