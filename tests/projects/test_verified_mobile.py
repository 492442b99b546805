"""Supports, ballots and (where the city says so) comments wait for a verified mobile number; reading never does.

An account made before numbers were verified is asked to confirm its number
at its next such action: the page shows the reason with a link to the SMS
step that comes back to the same page, the API answers 403
``mobile_not_verified`` with a Persian sentence.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from accounts.permissions import MobileNotVerified, needs_verified_mobile
from projects.models import Ballot, Comment, Support
from projects.services import ballot_submit, comment_post, support_cast
from tests import factories
from tests.projects.conftest import HTMX

pytestmark = pytest.mark.django_db

OTP = "/accounts/otp/?next="
SUPPORT_REASON = "برای حمایت از پروژه‌ها شمارهٔ تلفن همراه خود را تأیید کنید"
VOTE_REASON = "برای رأی دادن شمارهٔ تلفن همراه خود را تأیید کنید"
COMMENT_REASON = "برای نوشتن نظر شمارهٔ تلفن همراه خود را تأیید کنید"


@pytest.fixture
def option(district):
    return factories.ProjectFactory(district=district, budget=5)


@pytest.fixture
def open_round(district, option):
    return factories.BudgetingRoundFactory(district=district, total_budget=10, eligible_projects=[option])


def _link(path: str) -> str:
    return OTP + quote(path, safe="")


def test_the_helper_tells_who_still_has_to_confirm(unverified, citizen, district_staff):
    from django.contrib.auth.models import AnonymousUser

    assert needs_verified_mobile(unverified)
    assert not needs_verified_mobile(citizen)  # factories make verified citizens
    assert not needs_verified_mobile(AnonymousUser())
    unverified.is_active = False
    assert not needs_verified_mobile(unverified)  # an inactive account is refused for other reasons


# --- supports -------------------------------------------------------------------------
def test_an_unverified_account_is_asked_to_confirm_before_supporting(client_for, project, unverified):
    client = client_for(unverified)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert SUPPORT_REASON in page
    assert f'href="{_link(project.get_absolute_url())}"' in page
    assert 'id="support-button"' not in page

    response = client.post(f"/projects/{project.pk}/support/", {"action": "support"})
    assert response.status_code == 302  # back to the project, with the reason as a message
    assert SUPPORT_REASON in client.get(response["Location"]).content.decode()
    htmx = client.post(f"/projects/{project.pk}/support/", {"action": "support"}, **HTMX).content.decode()
    assert SUPPORT_REASON in htmx and _link(project.get_absolute_url()) in htmx
    assert not Support.objects.exists()
    with pytest.raises(MobileNotVerified):
        support_cast(project=project, user=unverified)


def test_the_api_refuses_an_unverified_support_with_a_stable_code(api_as, project, unverified):
    response = api_as(unverified).post(f"/api/v1/projects/{project.pk}/support/")
    assert response.status_code == 403
    assert response.json() == {"detail": response.json()["detail"], "code": "mobile_not_verified"}
    assert SUPPORT_REASON in response.json()["detail"]
    assert not Support.objects.exists()


def test_once_confirmed_the_same_account_supports(api_as, project, unverified):
    from django.utils import timezone

    unverified.mobile_verified_at = timezone.now()
    unverified.save()
    assert api_as(unverified).post(f"/api/v1/projects/{project.pk}/support/").status_code == 201


# --- ballots -------------------------------------------------------------------------
def test_an_unverified_resident_is_asked_to_confirm_before_voting(client_for, open_round, option, unverified):
    client = client_for(unverified)
    url = open_round.get_absolute_url()
    page = client.get(url).content.decode()
    assert VOTE_REASON in page and f'href="{_link(url)}"' in page
    assert '<button type="submit">ثبت رأی</button>' not in page
    response = client.post(url, {"projects": [option.pk]})
    assert response.status_code == 400 and VOTE_REASON in response.content.decode()
    assert not Ballot.objects.exists()
    with pytest.raises(MobileNotVerified):
        ballot_submit(budgeting_round=open_round, voter=unverified, projects=[option])


def test_the_api_refuses_an_unverified_ballot_with_a_stable_code(api_as, open_round, option, unverified):
    url = f"/api/v1/budgeting-rounds/{open_round.pk}/ballot/"
    for method in ("put", "post"):
        response = getattr(api_as(unverified), method)(url, {"projects": [option.pk]}, format="json")
        assert response.status_code == 403
        assert response.json()["code"] == "mobile_not_verified" and VOTE_REASON in response.json()["detail"]
    assert not Ballot.objects.exists()


# --- comments: the city decides -----------------------------------------------------------
def test_where_the_city_asks_for_it_an_unverified_account_cannot_comment(client_for, api_as, project, unverified):
    # No settings row: the default asks for a verified number.
    client = client_for(unverified)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert COMMENT_REASON in page and _link(project.get_absolute_url() + "#comments") in page
    assert 'id="comment-submit"' not in page
    response = client.post(f"/projects/{project.pk}/comments/", {"text": "نظر بدون تأیید"})
    assert response.status_code == 400 and COMMENT_REASON in response.content.decode()
    api = api_as(unverified).post(f"/api/v1/projects/{project.pk}/comments/", {"text": "از API"}, format="json")
    assert api.status_code == 403 and api.json()["code"] == "mobile_not_verified"
    assert COMMENT_REASON in api.json()["detail"]
    assert not Comment.objects.exists()
    with pytest.raises(MobileNotVerified):
        comment_post(project=project, author=unverified, text="مستقیم")


def test_replies_are_refused_too_and_the_reply_box_is_not_offered(client_for, project, unverified):
    parent = factories.CommentFactory(project=project)
    client = client_for(unverified)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert f'name="parent" value="{parent.pk}"' not in page
    client.post(f"/projects/{project.pk}/comments/", {"text": "پاسخ", "parent": parent.pk})
    assert not Comment.objects.filter(parent=parent).exists()


def test_where_the_city_does_not_ask_an_unverified_account_comments(
    client_for, api_as, project, unverified, city_settings
):
    city_settings.comment_requires_verified_mobile = False
    city_settings.save()
    client = client_for(unverified)
    page = client.get(f"/projects/{project.pk}/").content.decode()
    assert COMMENT_REASON not in page and 'id="comment-submit"' in page
    assert client.post(f"/projects/{project.pk}/comments/", {"text": "نظر آزاد"}).status_code == 302
    api = api_as(unverified).post(f"/api/v1/projects/{project.pk}/comments/", {"text": "از API"}, format="json")
    assert api.status_code == 201
    assert Comment.objects.filter(author=unverified).count() == 2
    # Supports still need the number, whatever the comment setting.
    assert api_as(unverified).post(f"/api/v1/projects/{project.pk}/support/").status_code == 403


# --- reading is never gated ------------------------------------------------------------
def test_an_unverified_account_still_reads_everything(client_for, api_as, project, open_round, unverified):
    factories.CommentFactory(project=project, text="نظری که همه می‌خوانند")
    client = client_for(unverified)
    for url in ("/", "/projects/", f"/projects/{project.pk}/", "/budgeting/", open_round.get_absolute_url(), "/ideas/"):
        assert client.get(url).status_code == 200, url
    assert "نظری که همه می‌خوانند" in client.get(f"/projects/{project.pk}/").content.decode()
    api = api_as(unverified)
    for url in (
        "/api/v1/projects/",
        f"/api/v1/projects/{project.pk}/",
        f"/api/v1/projects/{project.pk}/comments/",
        "/api/v1/budgeting-rounds/",
        f"/api/v1/budgeting-rounds/{open_round.pk}/",
    ):
        assert api.get(url).status_code == 200, url
