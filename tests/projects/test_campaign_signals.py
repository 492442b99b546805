"""Staff see signs of a campaign: supports and ballots from accounts made just before, and busy sign-up networks."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from accounts.identity import network_key
from core.persian import to_persian_digits
from projects.models import BudgetingRound, Support
from projects.selectors import project_campaign_signals, round_campaign_signals
from tests import factories

pytestmark = pytest.mark.django_db

CAMPAIGN = network_key("198.51.100.20")
HOME = network_key("192.0.2.1")


def _account(*, hours_before: float, network: str, cast_at: dt.datetime):
    return factories.UserFactory(date_joined=cast_at - dt.timedelta(hours=hours_before), signup_network=network)


def _support(project, *, hours_before: float, network: str = "", cast_at=None):
    cast_at = cast_at or timezone.now() - dt.timedelta(days=3)
    user = _account(hours_before=hours_before, network=network, cast_at=cast_at)
    return factories.SupportFactory(project=project, user=user, created_at=cast_at)


def _campaign(project, new: int, old: int) -> None:
    for _ in range(new):
        _support(project, hours_before=2, network=CAMPAIGN)
    for _ in range(old):
        _support(project, hours_before=24 * 90, network=HOME)


def test_new_accounts_are_those_made_within_a_day_before_they_supported(project):
    _support(project, hours_before=1)
    _support(project, hours_before=23)
    _support(project, hours_before=25)  # made the day before: not counted
    _support(project, hours_before=24 * 400)
    # a support left by an account since deleted still counts in the total
    gone = _support(project, hours_before=1)
    Support.objects.filter(pk=gone.pk).update(user=None)
    signals = project_campaign_signals(project)
    assert (signals.total, signals.by_new_accounts) == (5, 2)


def test_busy_networks_are_listed_from_the_threshold_busiest_first_five_at_most(project, settings):
    settings.ABUSE_NETWORK_MIN_ACCOUNTS = 3
    for n, size in enumerate([2, 3, 9, 4, 5, 6, 7]):
        for _ in range(size):
            _support(project, hours_before=24 * 30, network=network_key(f"10.0.0.{n}"))
    for _ in range(8):
        _support(project, hours_before=24 * 30)  # no network recorded (made before labels were kept)
    networks = project_campaign_signals(project).networks
    assert [count for _label, count in networks] == [9, 7, 6, 5, 4]
    assert networks[0][0] == network_key("10.0.0.2")


def test_the_project_admin_page_shows_the_signs_in_persian(client_for, district_staff, project, settings):
    settings.ABUSE_NETWORK_MIN_ACCOUNTS = 3
    _campaign(project, new=12, old=3)
    html = client_for(district_staff).get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    assert "نشانه‌های کارزار" in html
    assert f"{to_persian_digits(12)} از {to_persian_digits(15)} حمایت" in html
    assert "کمتر از ۲۴ ساعت پیش از حمایت" in html
    assert CAMPAIGN in html and f"{to_persian_digits(12)} حساب" in html
    assert HOME in html and f"{to_persian_digits(3)} حساب" in html
    assert "192.0.2.1" not in html and "198.51.100.20" not in html


def test_a_quiet_project_says_no_network_stands_out(client_for, district_staff, project):
    _campaign(project, new=0, old=2)
    html = client_for(district_staff).get(f"/admin/projects/project/{project.pk}/change/").content.decode()
    assert f"{to_persian_digits(0)} از {to_persian_digits(2)} حمایت" in html
    assert "هیچ شبکهٔ ثبت‌نامی" in html and HOME not in html


def _page_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_signs_cost_the_same_queries_for_two_supports_or_twenty(client_for, district_staff, project, district):
    other = factories.ProjectFactory(district=district, neighborhoods=list(project.neighborhoods.all()))
    _campaign(project, new=1, old=1)
    _campaign(other, new=12, old=8)
    client = client_for(district_staff)
    url = "/admin/projects/project/{}/change/"
    _page_queries(client, url.format(project.pk))  # warm the per-request caches once
    assert _page_queries(client, url.format(project.pk)) == _page_queries(client, url.format(other.pk))


def test_staff_of_another_district_see_no_signs(client_for, other_district_staff, project):
    _campaign(project, new=5, old=0)
    response = client_for(other_district_staff).get(f"/admin/projects/project/{project.pk}/change/")
    assert response.status_code == 302
    assert CAMPAIGN not in response.content.decode()


def _ballot(round_, project, *, hours_before: float, network: str):
    cast_at = timezone.now() - dt.timedelta(hours=1)
    voter = _account(hours_before=hours_before, network=network, cast_at=cast_at)
    return factories.BallotFactory(round=round_, voter=voter, projects=[project], created_at=cast_at)


def test_the_round_admin_page_shows_the_signs_for_ballots(client_for, district_staff, project, district, settings):
    settings.ABUSE_NETWORK_MIN_ACCOUNTS = 3
    round_ = factories.BudgetingRoundFactory(district=district, eligible_projects=[project])
    quiet = factories.BudgetingRoundFactory(district=district, eligible_projects=[project])
    for _ in range(4):
        _ballot(round_, project, hours_before=3, network=CAMPAIGN)
    for _ in range(16):
        _ballot(round_, project, hours_before=24 * 60, network=HOME)
    _ballot(quiet, project, hours_before=3, network=CAMPAIGN)
    _ballot(quiet, project, hours_before=24 * 60, network=HOME)
    signals = round_campaign_signals(round_)
    assert (signals.total, signals.by_new_accounts) == (20, 4)
    assert signals.networks == [(HOME, 16), (CAMPAIGN, 4)]
    client = client_for(district_staff)
    html = client.get(f"/admin/projects/budgetinground/{round_.pk}/change/").content.decode()
    assert f"{to_persian_digits(4)} از {to_persian_digits(20)} برگهٔ رأی" in html
    assert "کمتر از ۲۴ ساعت پیش از رأی دادن" in html and CAMPAIGN in html
    url = "/admin/projects/budgetinground/{}/change/"
    _page_queries(client, url.format(quiet.pk))
    assert _page_queries(client, url.format(quiet.pk)) == _page_queries(client, url.format(round_.pk))


def test_the_demo_data_shows_a_campaign():
    from accounts import demo as accounts_demo
    from places import demo as places_demo
    from projects import demo

    out = io.StringIO()
    places_demo.seed(out)
    accounts_demo.seed(out)
    demo.seed(out)
    budgeting_round = BudgetingRound.objects.get(title=demo.DEMO_ROUND_TITLE)
    target = budgeting_round.eligible_projects.order_by("id").first()
    signals = project_campaign_signals(target)
    assert signals.by_new_accounts == demo.CAMPAIGN_ACCOUNTS
    assert signals.networks[0] == (network_key(demo.CAMPAIGN_ADDRESS), demo.CAMPAIGN_ACCOUNTS)
    assert target.support_count == target.supports.count()
    assert round_campaign_signals(budgeting_round).by_new_accounts == demo.CAMPAIGN_ACCOUNTS
    # The other demo citizens are long-standing accounts: no other project looks like a campaign.
    others = budgeting_round.eligible_projects.exclude(pk=target.pk)
    assert all(project_campaign_signals(p).by_new_accounts == 0 for p in others)
    demo.seed(out)
    assert project_campaign_signals(target).total == signals.total
