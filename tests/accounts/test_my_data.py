"""A citizen's export of their own data: everything that is theirs, nothing that is anyone else's, in fixed queries."""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from accounts import personal_data
from accounts.identity import person_key
from accounts.models import ApiToken
from accounts.services import api_token_issue
from notifications.models import Preference
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def person(neighborhood):
    return factories.UserFactory(
        phone="+989351112233",
        email="me@example.com",
        national_code="0499370899",
        home_neighborhood=neighborhood,
        signup_network="netlabel1234abcd",
    )


@pytest.fixture
def other(neighborhood):
    return factories.UserFactory(phone="+989187776655", email="other@example.com", national_code="1234567891")


def _participation(person, other, neighborhood, rows: int) -> None:
    """``rows`` rows of every kind for ``person``, each beside something of ``other``'s it touches."""
    district = neighborhood.district
    budgeting = factories.BudgetingRoundFactory(district=district)
    for n in range(rows):
        project = factories.ProjectFactory(district=district, neighborhoods=[neighborhood], title=f"پروژهٔ {n}")
        theirs = factories.CommentFactory(project=project, author=other, text=f"نظر دیگری {n}")
        factories.CommentFactory(project=project, author=person, parent=theirs, text=f"پاسخ من {n}")
        factories.SupportFactory(project=project, user=person, district=district)
        factories.SupportFactory(project=project, user=other)
        factories.SubscriptionFactory(user=person, target=project)
        factories.IdeaFactory(author=person, neighborhood=neighborhood)
        factories.ApplicationFactory(volunteer=person)
        factories.NotificationFactory(recipient=person)
        factories.NotificationFactory(recipient=other)
        factories.NeedReportFactory(reporter=person, neighborhood=neighborhood)
        Preference.objects.create(user=person, event=f"event_{n}", channel="email", enabled=False)
        round_n = factories.BudgetingRoundFactory(district=district) if n else budgeting
        factories.BallotFactory(round=round_n, voter=person, projects=[project])
        api_token_issue(user=person, name=f"device {n}")
    factories.SubscriptionFactory(user=person, target=neighborhood)
    factories.VolunteerProfileFactory(user=person, districts=[district])
    factories.MembershipFactory(user=person)


def _export_as(user) -> dict:
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/v1/me/export/")
    assert response.status_code == 200, response.content
    return response.json()


def test_the_export_holds_every_section_of_the_citizens_own_data(person, other, neighborhood):
    _participation(person, other, neighborhood, rows=2)
    data = _export_as(person)
    assert set(personal_data.SECTIONS) <= set(data)
    profile = data["profile"]
    assert profile["mobile_number"] == "09351112233"
    assert profile["email"] == "me@example.com"
    assert profile["national_code_on_file"] is True and "0499370899" not in json.dumps(data)
    assert profile["home_neighborhood"]["name"] == neighborhood.name
    assert profile["date_joined_jalali"]
    assert {c["text"] for c in data["comments"]} == {"پاسخ من 0", "پاسخ من 1"}
    assert {c["project"]["title"] for c in data["comments"]} == {"پروژهٔ 0", "پروژهٔ 1"}
    assert all(c["in_reply_to"] and c["status"] == "published" and c["created_at"] for c in data["comments"])
    assert len(data["supports"]) == 2
    assert data["supports"][0]["cast_as_resident_of"] == neighborhood.district.name
    assert len(data["ballots"]) == 2
    assert data["ballots"][0]["projects"][0]["title"] == "پروژهٔ 0"
    assert data["ballots"][0]["cycle"]["title"] and data["ballots"][0]["cast_as_resident_of"]
    assert data["poll_answers"] == []
    assert len(data["ideas"]) == 2
    assert {f["kind"] for f in data["follows"]} == {"project", "neighborhood"}
    assert {f["title"] for f in data["follows"]} >= {"پروژهٔ 0", neighborhood.name}
    assert len(data["notifications"]) == 2
    assert len(data["notification_preferences"]["choices"]) == 2
    assert data["volunteer_profile"]["districts"] == [neighborhood.district.name]
    assert len(data["volunteer_applications"]) == 2
    assert len(data["organisations_managed"]) == 1
    assert len(data["need_reports"]) == 2
    assert [t["name"] for t in data["api_tokens"]] == ["device 0", "device 1"]


def test_nothing_in_the_export_is_anyone_elses_or_a_secret(person, other, neighborhood):
    _participation(person, other, neighborhood, rows=2)
    text = json.dumps(_export_as(person), ensure_ascii=False)
    for theirs in ("09187776655", "9187776655", "other@example.com", "1234567891", "نظر دیگری"):
        assert theirs not in text
    token = ApiToken.objects.filter(user=person).first()
    for secret in (person.password, person.signup_network, person_key(person.phone), token.digest, token.prefix):
        assert secret not in text
    assert "voter_key" not in text and "signup_network" not in text and "password" not in text


def test_an_empty_account_exports_every_key(person):
    data = _export_as(person)
    assert data["format"] == 1
    for name in personal_data.SECTIONS:
        assert name in data
    assert data["comments"] == [] and data["poll_answers"] == [] and data["volunteer_profile"] is None


def _export_queries(user) -> int:
    with CaptureQueriesContext(connection) as queries:
        personal_data.export_for(user)
    return len(queries)


def test_the_export_costs_the_same_queries_for_two_rows_or_twenty(person, other, neighborhood):
    few = factories.UserFactory(home_neighborhood=neighborhood)
    _participation(few, other, neighborhood, rows=2)
    _participation(person, other, neighborhood, rows=20)
    assert len(personal_data.export_for(person)["comments"]) == 20
    assert _export_queries(person) == _export_queries(few)


def test_a_later_app_adds_its_section_through_the_registry(person, monkeypatch):
    monkeypatch.setitem(personal_data._exporters, "poll_answers", lambda user: [{"poll": 1, "answer": "بله"}])
    monkeypatch.setitem(personal_data._exporters, "surveys", lambda user: [{"id": 7}])
    data = _export_as(person)
    assert data["poll_answers"] == [{"poll": 1, "answer": "بله"}]
    assert data["surveys"] == [{"id": 7}]


def test_the_profile_page_offers_the_same_export_as_a_utf8_json_download(client_for, person, other, neighborhood):
    _participation(person, other, neighborhood, rows=1)
    client = client_for(person)
    profile = client.get(reverse("accounts:profile")).content.decode()
    assert reverse("accounts:export_my_data") in profile
    assert reverse("accounts:delete_account") in profile
    response = client.get(reverse("accounts:export_my_data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="my-data-')
    assert "no-store" in response["Cache-Control"]
    raw = response.content.decode("utf-8")
    assert "پاسخ من 0" in raw and "\\u" not in raw  # Persian as it is, not escaped
    body = json.loads(raw)
    assert body["profile"]["mobile_number"] == "09351112233"
    assert body["comments"][0]["text"] == "پاسخ من 0"


def test_the_export_is_limited_per_account_across_page_and_api(client_for, person, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "account_export": (2, 3600)}
    api = APIClient()
    api.force_authenticate(person)
    page = client_for(person)
    assert api.get("/api/v1/me/export/").status_code == 200
    assert page.get(reverse("accounts:export_my_data")).status_code == 200
    refused = api.get("/api/v1/me/export/")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled" and refused["Retry-After"]
    assert page.get(reverse("accounts:export_my_data")).status_code == 429
    # another account has its own count
    someone = APIClient()
    someone.force_authenticate(factories.UserFactory())
    assert someone.get("/api/v1/me/export/").status_code == 200


def test_the_export_is_only_for_the_signed_in(client):
    assert APIClient().get("/api/v1/me/export/").status_code == 403
    response = client.get(reverse("accounts:export_my_data"))
    assert response.status_code == 302 and reverse("accounts:login") in response["Location"]
