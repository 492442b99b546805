"""The inbox page, the header badge, marking read and the preferences page."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from core.templatetags.persian import jalali_date_string
from notifications.events import Channel
from notifications.models import NotificationSettings, Preference
from tests import factories


@pytest.fixture
def inbox_of(recipient):
    def make(count, **extra):
        return [factories.NotificationFactory(recipient=recipient, **extra) for _ in range(count)]

    return make


@pytest.mark.django_db
def test_inbox_needs_sign_in(client):
    response = client.get("/notifications/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.django_db
def test_inbox_shows_own_notifications_escaped_with_jalali_times(client_for, recipient, inbox_of, stranger):
    mine = inbox_of(2)
    theirs = factories.NotificationFactory(recipient=stranger, subject="پیام دیگری")
    factories.NotificationFactory(recipient=recipient, channel=Channel.EMAIL, subject="نسخهٔ ایمیل")
    html = client_for(recipient).get("/notifications/").content.decode()
    assert mine[0].url in html and mine[1].url in html
    assert theirs.subject not in html and "نسخهٔ ایمیل" not in html
    assert "<script>alert(1)</script>" not in html and "&lt;script&gt;" in html
    assert "<img src=x" not in html
    with translation.override("fa"):
        assert jalali_date_string(mine[0].created_at, with_time=True) in html


@pytest.mark.django_db
def test_header_badge_counts_unread_in_persian_digits(client_for, recipient, inbox_of):
    inbox_of(3)
    inbox_of(2, read_at=timezone.now())
    html = client_for(recipient).get("/").content.decode()
    assert 'id="unread-badge"' in html and ">۳<" in html


def badge_queries(queries) -> int:
    return sum("notifications_notification" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_header_badge_costs_one_query_whatever_the_count(client_for, recipient, inbox_of):
    client = client_for(recipient)
    client.get("/")  # warm caches (content types, session)
    with CaptureQueriesContext(connection) as few:
        client.get("/")
    inbox_of(30)
    with CaptureQueriesContext(connection) as many:
        client.get("/")
    assert len(few.captured_queries) == len(many.captured_queries)
    assert badge_queries(few) == badge_queries(many) == 1


@pytest.mark.django_db
def test_anonymous_pages_do_not_count(client):
    with CaptureQueriesContext(connection) as queries:
        client.get("/")
    assert badge_queries(queries) == 0


@pytest.mark.django_db
def test_inbox_query_count_does_not_grow(client_for, recipient, inbox_of):
    client = client_for(recipient)
    inbox_of(2)
    client.get("/notifications/")
    with CaptureQueriesContext(connection) as few:
        client.get("/notifications/")
    inbox_of(25)
    with CaptureQueriesContext(connection) as many:
        response = client.get("/notifications/")
    assert len(many.captured_queries) == len(few.captured_queries) <= 6
    assert response.context["page_obj"].paginator.count == 27


@pytest.mark.django_db
def test_unread_filter(client_for, recipient, inbox_of):
    unread = inbox_of(1)[0]
    read = inbox_of(1, read_at=timezone.now())[0]
    html = client_for(recipient).get("/notifications/?unread=true").content.decode()
    assert unread.url in html and read.url not in html


@pytest.mark.django_db
def test_mark_one_read_with_a_plain_post(client_for, recipient, inbox_of):
    first, second = inbox_of(2)
    response = client_for(recipient).post(f"/notifications/{first.pk}/read/", {"next": "/notifications/?page=1"})
    assert response.status_code == 302 and response["Location"] == "/notifications/?page=1"
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.read_at is not None and second.read_at is None


@pytest.mark.django_db
def test_mark_read_does_not_redirect_off_site(client_for, recipient, inbox_of):
    [item] = inbox_of(1)
    response = client_for(recipient).post(f"/notifications/{item.pk}/read/", {"next": "https://evil.example/"})
    assert response["Location"] == "/notifications/"


@pytest.mark.django_db
def test_mark_one_read_with_htmx_swaps_the_item_and_the_badge(client_for, recipient, inbox_of):
    first, _second = inbox_of(2)
    response = client_for(recipient).post(f"/notifications/{first.pk}/read/", HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{first.pk}"' in html and "<html" not in html
    assert 'id="unread-badge"' in html and 'hx-swap-oob="true"' in html and ">۱<" in html


@pytest.mark.django_db
def test_mark_all_read(client_for, recipient, inbox_of, stranger):
    inbox_of(3)
    theirs = factories.NotificationFactory(recipient=stranger)
    response = client_for(recipient).post("/notifications/read-all/")
    assert response.status_code == 302
    assert not recipient.notifications.filter(read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


@pytest.mark.django_db
def test_mark_read_needs_post(client_for, recipient, inbox_of):
    [item] = inbox_of(1)
    assert client_for(recipient).get(f"/notifications/{item.pk}/read/").status_code == 405
    item.refresh_from_db()
    assert item.read_at is None


@pytest.mark.django_db
def test_preferences_page_saves_channels_and_digest(client_for, recipient):
    client = client_for(recipient)
    page = client.get("/notifications/preferences/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "کسی به نظر من پاسخ می‌دهد" in html and 'name="comment_replied__email"' in html
    assert 'name="comment_replied__sms"' not in html  # not offered for comments
    form = page.context["form"]
    data = {name: "on" for name, field in form.fields.items() if field.initial is True and "__" in name}
    data.pop("comment_replied__email")
    data["organization_verified__sms"] = "on"
    data["digest"] = "daily"
    response = client.post("/notifications/preferences/", data)
    assert response.status_code == 302
    stored = set(Preference.objects.filter(user=recipient).values_list("event", "channel", "enabled"))
    assert stored == {("comment_replied", "email", False), ("organization_verified", "sms", True)}
    assert NotificationSettings.objects.get(user=recipient).digest == "daily"


@pytest.mark.django_db
def test_preferences_page_refuses_a_bad_digest(client_for, recipient):
    response = client_for(recipient).post("/notifications/preferences/", {"digest": "hourly"})
    assert response.status_code == 200 and response.context["form"].errors["digest"]
    assert not Preference.objects.exists() and not NotificationSettings.objects.exists()
