"""notify(): rows in the caller's transaction, nothing published before the commit."""

import pytest
from django.core import mail
from django.db import transaction

from notifications.events import Channel
from notifications.models import Notification, Status
from notifications.services import notify, notify_subscribers
from tests import factories

REPLY = {"actor": "مریم", "project": "پارک محله", "excerpt": "موافقم"}


def reply(recipients, **extra):
    return notify(event="comment_replied", recipients=recipients, context=REPLY, url="/projects/7/", **extra)


@pytest.mark.django_db
def test_rows_per_channel_by_default(recipient):
    rows = reply([recipient])
    by_channel = {row.channel: row for row in rows}
    assert set(by_channel) == {Channel.IN_APP, Channel.EMAIL}
    assert by_channel[Channel.IN_APP].status == Status.SENT  # the row is the in-app message
    assert by_channel[Channel.EMAIL].status == Status.PENDING
    assert by_channel[Channel.EMAIL].subject == "مریم به نظر شما پاسخ داد"
    assert by_channel[Channel.EMAIL].url == "/projects/7/"


@pytest.mark.django_db
def test_no_email_row_without_an_address_and_sms_only_where_offered(district):
    user = factories.UserFactory(email=None)
    reply([user])
    assert list(Notification.objects.values_list("channel", flat=True)) == [Channel.IN_APP]
    rows = notify(
        event="organization_licence_expired",
        recipients=[user],
        context={"organization": "خیریه", "expiry_date": "1405/01/01"},
    )
    assert {row.channel for row in rows} == {Channel.IN_APP, Channel.SMS}
    sms = next(row for row in rows if row.channel == Channel.SMS)
    assert sms.body.startswith(sms.subject)


@pytest.mark.django_db
def test_preferences_decide_channels(recipient):
    factories.PreferenceFactory(user=recipient, event="comment_replied", channel=Channel.EMAIL, enabled=False)
    factories.PreferenceFactory(user=recipient, event="comment_replied", channel=Channel.IN_APP, enabled=False)
    assert reply([recipient]) == []
    # A stored choice for a channel the event does not offer is ignored.
    factories.PreferenceFactory(user=recipient, event="comment_approved", channel=Channel.SMS, enabled=True)
    rows = notify(event="comment_approved", recipients=[recipient], context={"project": "پارک"})
    assert [row.channel for row in rows] == [Channel.IN_APP]


@pytest.mark.django_db
def test_actor_inactive_users_and_repeats_are_left_out(recipient):
    actor = factories.UserFactory(email="actor@example.org")
    inactive = factories.UserFactory(email="gone@example.org", is_active=False)
    rows = reply([recipient, actor, inactive, recipient, None], actor=actor)
    assert {row.recipient_id for row in rows} == {recipient.pk}
    assert len(rows) == 2


@pytest.mark.django_db
def test_target_is_recorded_with_its_link(recipient, neighborhood):
    rows = notify(
        event="budgeting_round_results",
        recipients=[recipient],
        target=neighborhood,
        context={"round": "۱۴۰۵", "district": "منطقه ۱"},
    )
    assert rows[0].target == neighborhood
    assert rows[0].target_repr == str(neighborhood)


@pytest.mark.django_db
def test_only_site_paths_are_accepted_as_links(recipient):
    for url in ("javascript:alert(1)", "//evil.example/", "https://evil.example/"):
        with pytest.raises(ValueError):
            notify(event="comment_replied", recipients=[recipient], context=REPLY, url=url)
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_nothing_is_sent_before_the_commit(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            reply([recipient])
            assert mail.outbox == []
    assert len(callbacks) == 1  # the email; the in-app row needs no delivery
    assert len(mail.outbox) == 1
    assert Notification.objects.get(channel=Channel.EMAIL).status == Status.SENT


@pytest.mark.django_db
def test_rolled_back_event_leaves_no_notification_and_sends_nothing(recipient, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with pytest.raises(RuntimeError), transaction.atomic():
            reply([recipient])
            raise RuntimeError("the comment could not be saved")
    assert callbacks == []
    assert not Notification.objects.exists()
    assert mail.outbox == []


@pytest.mark.django_db
def test_dedupe_key_makes_a_repeated_call_a_no_op(recipient, django_capture_on_commit_callbacks):
    context = {"organization": "سمن", "days": 30, "expiry_date": "1405/02/01"}
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(
            event="organization_licence_expiring", recipients=[recipient], context=context, dedupe_key="lic-1-30"
        )
    with django_capture_on_commit_callbacks(execute=True):
        again = notify(
            event="organization_licence_expiring", recipients=[recipient], context=context, dedupe_key="lic-1-30"
        )
    assert len(first) == 3 and again == []
    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 1


@pytest.mark.django_db
def test_followers_are_read_in_batches(monkeypatch, django_capture_on_commit_callbacks):
    from notifications import services

    monkeypatch.setattr(services, "BATCH", 2)
    project = factories.ProjectFactory()
    followers = [factories.UserFactory(email=f"f{i}@example.org") for i in range(5)]
    for follower in followers:
        factories.SubscriptionFactory(user=follower, target=project)
    actor = followers[0]
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify_subscribers(
            tiers=[("project_update_posted", [project])],
            target=project,
            context={"project": "پارک", "excerpt": "آغاز عملیات"},
            url="/projects/1/",
            actor=actor,
        )
    assert {row.recipient_id for row in rows} == {u.pk for u in followers[1:]}
    assert len(mail.outbox) == 4


@pytest.mark.django_db
def test_query_count_does_not_grow_with_recipients(django_assert_max_num_queries):
    few = [factories.UserFactory(email=f"a{i}@example.org") for i in range(2)]
    many = [factories.UserFactory(email=f"b{i}@example.org") for i in range(40)]
    with django_assert_max_num_queries(6):
        reply(few)
    with django_assert_max_num_queries(6):
        reply(many)
    assert Notification.objects.count() == 84
