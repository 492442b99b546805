"""The admin index is the staff dashboard: each work queue of the user's districts, linked to exactly its rows.

Rows lie in two districts of one city (and a third city nobody here serves):
district staff count their district's rows only, a city admin both districts,
and every link opens a changelist of exactly the number shown. The activity
chart carries the same scope, and its numbers are also a table.
"""

from __future__ import annotations

import datetime as dt
import json
import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Role
from core.persian import to_persian_digits
from neighborhoods.models import NeedReport, NeedStatus
from ngos.models import ApplicationStatus, OrganizationStatus, PlanStatus
from projects.models import CommentStatus, IdeaStatus
from tests import factories

pytestmark = pytest.mark.django_db

QUEUES = (
    "comments_pending",
    "comments_hidden",
    "organizations_submitted",
    "licences_expiring",
    "plans_submitted",
    "ideas_submitted",
    "need_reports_new",
    "need_reports_overdue",
    "applications_pending",
)


def _fill(district, *, copies: int) -> None:
    """``copies`` rows of every queue in ``district``, plus rows no queue holds."""
    hood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    project = factories.ProjectFactory(district=district)
    today = timezone.localdate()
    for _ in range(copies):
        factories.CommentFactory(project=project, status=CommentStatus.PENDING, published_at=None)
        factories.CommentFactory(project=project, status=CommentStatus.HIDDEN)
        factories.OrganizationFactory(city=district.city, status=OrganizationStatus.SUBMITTED, districts=[district])
        factories.VerifiedOrganizationFactory(
            city=district.city, districts=[district], licence_expires_on=today + dt.timedelta(days=10)
        )
        organization = factories.VerifiedOrganizationFactory(city=district.city, districts=[district])
        factories.PlanFactory(organization=organization, status=PlanStatus.SUBMITTED, target_neighborhoods=[hood])
        factories.IdeaFactory(neighborhood=hood, status=IdeaStatus.SUBMITTED)
        factories.NeedReportFactory(neighborhood=hood)
        old = factories.NeedReportFactory(neighborhood=hood)
        NeedReport.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=10))
        opportunity = factories.OpportunityFactory(organization=organization, district=district)
        factories.ApplicationFactory(opportunity=opportunity, status=ApplicationStatus.PENDING)
        factories.SupportFactory(project=project)
    # Done work: in no queue.
    factories.CommentFactory(project=project, status=CommentStatus.PUBLISHED)
    factories.NeedReportFactory(neighborhood=hood, status=NeedStatus.REFERRED)


@pytest.fixture
def world():
    city = factories.CityFactory()
    mine = factories.DistrictFactory(city=city)
    theirs = factories.DistrictFactory(city=city)
    elsewhere = factories.DistrictFactory()
    _fill(mine, copies=1)
    _fill(theirs, copies=2)
    _fill(elsewhere, copies=1)
    return {
        "district staff": factories.StaffFactory(districts=[mine]),
        "city admin": factories.CityAdminFactory(role=Role.CITY_ADMIN, staff_city=city, is_superuser=False),
    }


def _queues(html: str) -> dict[str, tuple[int, str]]:
    """Each queue tile's (count, link), read from the page as a person sees it (Persian digits)."""
    found = {}
    for key, href, shown in re.findall(
        r'data-queue="([\w]+)"[^>]*>\s*<a href="([^"]+)"><span class="queue-count">([^<]+)</span>', html
    ):
        assert shown == to_persian_digits(shown), f"{key}: {shown} is not in Persian digits"
        found[key] = (int(shown.translate(str.maketrans("۰۱۲۳۴۵۶۷۸۹", "0123456789")).replace("٬", "")), unescape(href))
    return found


@pytest.mark.parametrize(("persona", "each"), [("district staff", 1), ("city admin", 3)])
def test_each_queue_counts_the_rows_of_the_users_districts_and_links_to_exactly_them(
    world, client, persona, each, django_assert_max_num_queries
):
    client.force_login(world[persona], backend="accounts.backends.PhoneOrEmailBackend")
    with django_assert_max_num_queries(15):
        response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    queues = _queues(response.content.decode())
    assert set(queues) == set(QUEUES)
    for key, (count, url) in queues.items():
        # Each district has one report a day old and one ten days old: both are new, the older one overdue too.
        expected = 2 * each if key == "need_reports_new" else each
        assert count == expected, f"{persona} sees {count} in {key}"
        changelist = client.get(url)
        assert changelist.status_code == 200, url
        assert changelist.context["cl"].result_count == count, f"{key}: the link opens other rows ({url})"


def test_the_activity_chart_counts_the_same_scope_and_is_also_a_table(world, client):
    client.force_login(world["district staff"], backend="accounts.backends.PhoneOrEmailBackend")
    html = client.get(reverse("admin:index")).content.decode()
    data = re.search(r'<script id="activity-chart-data" type="application/json">(.*?)</script>', html)
    spec = json.loads(data.group(1))
    series = {line["key"]: line["data"] for line in spec["series"]}
    assert set(series) == {"comments", "supports", "organizations", "need_reports"}
    assert all(len(data) == 30 for data in series.values())
    # Today, in the staff member's district: three comments (pending, hidden, published), one support, two reports
    # today (the third was backdated ten days), three organisations.
    assert series["comments"][-1] == 3
    assert series["supports"][-1] == 1
    assert series["need_reports"][-1] == 2
    assert series["need_reports"][-11] == 1
    assert series["organizations"][-1] == 3
    # The day labels are Jalali, in Persian digits; the table holds the same numbers for screen readers.
    assert not re.search(r"[0-9]", "".join(spec["labels"]))
    table = re.search(r'<details class="chart-table">.*?</details>', html, re.S).group(0)
    assert '<th scope="col">' in table and "۳" in table
    # No inline script: only static files and the JSON data block.
    for tag in re.findall(r"<script[^>]*>", html):
        assert "src=" in tag or 'type="application/json"' in tag, tag


def test_someone_without_staff_role_sees_no_queues(client):
    user = factories.UserFactory(is_staff=True)
    client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    response = client.get(reverse("admin:index"))
    assert "work-queues" not in response.content.decode()
