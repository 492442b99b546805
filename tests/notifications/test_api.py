"""/api/v1/notifications/: own only, unread filter, mark read, preferences."""

import pytest
from django.utils import timezone

from notifications.events import Channel
from notifications.models import NotificationSettings, Preference
from tests import factories


@pytest.fixture
def api_as(api_client):
    def login(user):
        api_client.force_authenticate(user)
        return api_client

    return login


@pytest.mark.django_db
@pytest.mark.parametrize(
    "method,path",
    [
        ("get", "/api/v1/notifications/"),
        ("post", "/api/v1/notifications/read-all/"),
        ("get", "/api/v1/notifications/preferences/"),
        ("patch", "/api/v1/notifications/preferences/"),
    ],
)
def test_anonymous_gets_nothing(api_client, method, path):
    response = getattr(api_client, method)(path)
    assert response.status_code in (401, 403)
    assert set(response.json()) >= {"detail", "code"}


@pytest.mark.django_db
def test_list_is_own_in_app_only_with_jalali_twin_and_no_private_data(api_as, recipient, stranger):
    mine = factories.NotificationFactory(recipient=recipient)
    factories.NotificationFactory(recipient=recipient, channel=Channel.EMAIL)
    factories.NotificationFactory(recipient=stranger)
    body = api_as(recipient).get("/api/v1/notifications/").json()
    assert body["count"] == 1
    [item] = body["results"]
    assert item["id"] == mine.pk and item["is_read"] is False
    assert item["event_label"] == "کسی به نظر من پاسخ می‌دهد"
    assert item["created_at_jalali"].startswith("14")
    assert recipient.phone not in str(body) and "reader@example.org" not in str(body)


@pytest.mark.django_db
def test_unread_filter_and_query_count(api_as, recipient, django_assert_num_queries):
    client = api_as(recipient)
    factories.NotificationFactory(recipient=recipient, read_at=timezone.now())
    unread = factories.NotificationFactory(recipient=recipient)
    results = client.get("/api/v1/notifications/?unread=true").json()["results"]
    assert [item["id"] for item in results] == [unread.pk]
    assert client.get("/api/v1/notifications/?unread=false").json()["count"] == 1
    assert client.get("/api/v1/notifications/?unread=").json()["count"] == 2  # empty: no filter
    assert client.get("/api/v1/notifications/?unread=maybe").status_code == 400  # neither true nor false
    with django_assert_num_queries(2):
        client.get("/api/v1/notifications/")
    for _ in range(20):
        factories.NotificationFactory(recipient=recipient, target_repr="x")
    with django_assert_num_queries(2):
        client.get("/api/v1/notifications/")


@pytest.mark.django_db
def test_mark_one_and_all_read(api_as, recipient, stranger):
    client = api_as(recipient)
    first, second = (factories.NotificationFactory(recipient=recipient) for _ in range(2))
    theirs = factories.NotificationFactory(recipient=stranger)
    response = client.post(f"/api/v1/notifications/{first.pk}/read/")
    assert response.status_code == 200 and response.json()["is_read"] is True
    assert client.post(f"/api/v1/notifications/{theirs.pk}/read/").status_code == 404
    assert client.get(f"/api/v1/notifications/{theirs.pk}/").status_code == 404
    assert client.post("/api/v1/notifications/read-all/").json() == {"marked": 1}
    second.refresh_from_db()
    theirs.refresh_from_db()
    assert second.read_at is not None and theirs.read_at is None


@pytest.mark.django_db
def test_preferences_read_and_change(api_as, recipient):
    client = api_as(recipient)
    body = client.get("/api/v1/notifications/preferences/").json()
    assert body["digest"] == "immediate"
    assert body["events"]["comment_replied"] == {"in_app": True, "email": True}
    assert body["events"]["organization_licence_expiring"]["sms"] is True
    response = client.patch(
        "/api/v1/notifications/preferences/",
        {"digest": "weekly", "events": {"comment_replied": {"email": False}}},
        format="json",
    )
    assert response.status_code == 200
    assert response.json()["events"]["comment_replied"] == {"in_app": True, "email": False}
    assert NotificationSettings.objects.get(user=recipient).digest == "weekly"
    assert Preference.objects.get(user=recipient).enabled is False


@pytest.mark.django_db
@pytest.mark.parametrize(
    "payload,field",
    [
        ({"events": {"no_such_event": {"email": False}}}, "events"),
        ({"events": {"comment_replied": {"sms": True}}}, "events"),
        ({"events": {"comment_replied": {"email": "perhaps"}}}, "events"),
        ({"digest": "hourly"}, "digest"),
        ({"events": ["comment_replied"]}, "events"),
    ],
)
def test_bad_preferences_are_field_errors_and_change_nothing(api_as, recipient, payload, field):
    response = api_as(recipient).put("/api/v1/notifications/preferences/", payload, format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and field in body["errors"]
    assert not Preference.objects.exists() and not NotificationSettings.objects.exists()


@pytest.mark.django_db
def test_schema_documents_the_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").content.decode()
    for path in ("/api/v1/notifications/", "/api/v1/notifications/{id}/read/", "/api/v1/notifications/preferences/"):
        assert path in schema
