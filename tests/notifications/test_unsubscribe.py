"""The unsubscribe link: signed, no sign-in, changes exactly one preference."""

import base64
import re
import time
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client

from notifications import delivery
from notifications.events import Channel
from notifications.models import NotificationSettings, Preference, Status
from notifications.services import notify
from notifications.tokens import LEGACY_TOKEN_DAYS, make_token
from tests import factories


def settings_snapshot():
    prefs = sorted(Preference.objects.values_list("user_id", "event", "channel", "enabled"))
    digests = sorted(NotificationSettings.objects.values_list("user_id", "digest"))
    return prefs, digests


@pytest.fixture
def emailed(recipient):
    row = factories.NotificationFactory(
        recipient=recipient, channel=Channel.EMAIL, status=Status.PENDING, sent_at=None, event="comment_replied"
    )
    delivery.deliver(row.pk)
    [message] = mail.outbox
    return message


@pytest.fixture
def existing_choices(recipient):
    factories.PreferenceFactory(user=recipient, event="comment_approved", channel=Channel.EMAIL, enabled=True)
    factories.PreferenceFactory(user=recipient, event="project_phase_changed", channel=Channel.IN_APP, enabled=False)
    factories.NotificationSettingsFactory(user=recipient, digest="weekly")
    other = factories.UserFactory(email="other@example.org")
    factories.PreferenceFactory(user=other, event="comment_replied", channel=Channel.EMAIL, enabled=True)


def link_in(message) -> str:
    return re.search(r"http://[^\s]+/notifications/unsubscribe/[^\s/]+/", message.body).group(0)


@pytest.mark.django_db
def test_link_in_the_email_turns_off_only_that_event_by_email(emailed, existing_choices, recipient):
    client = Client(enforce_csrf_checks=True)  # a mail client: no session, no CSRF cookie
    path = link_in(emailed).removeprefix("http://127.0.0.1:8000")
    before_prefs, before_digests = settings_snapshot()

    page = client.get(path)
    assert page.status_code == 200 and settings_snapshot() == (before_prefs, before_digests)  # GET changes nothing
    assert "<script>" not in page.content.decode()

    done = client.post(path)
    assert done.status_code == 200
    assert "اشتراک شما لغو شد" in done.content.decode()
    after_prefs, after_digests = settings_snapshot()
    assert after_digests == before_digests
    assert set(after_prefs) - set(before_prefs) == {(recipient.pk, "comment_replied", "email", False)}
    assert set(before_prefs) - set(after_prefs) == set()

    rows = notify(
        event="comment_replied", recipients=[recipient], context={"actor": "a", "project": "p", "excerpt": "e"}
    )
    assert [row.channel for row in rows] == [Channel.IN_APP]


@pytest.mark.django_db
def test_one_click_post_from_the_mail_client_header(emailed, recipient):
    url = emailed.extra_headers["List-Unsubscribe"].strip("<>").removeprefix("http://127.0.0.1:8000")
    response = Client(enforce_csrf_checks=True).post(url, {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert Preference.objects.get(user=recipient).enabled is False


def tampered(token: str) -> list[str]:
    return [
        token[:-1] + ("A" if token[-1] != "A" else "B"),  # one character changed
        token[: len(token) // 2],  # cut short
        token + "A",  # one too many
        signing.dumps({"u": 1, "e": "comment_replied", "c": "email"}),  # signed, but with another salt
    ]


@pytest.mark.django_db
@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_token_is_rejected_and_changes_nothing(method, recipient, existing_choices):
    token = make_token(user_id=recipient.pk, event="comment_replied", channel=Channel.EMAIL)
    before = settings_snapshot()
    client = Client(enforce_csrf_checks=True)
    for bad in tampered(token):
        response = getattr(client, method)(f"/notifications/unsubscribe/{bad}/")
        assert response.status_code == 400, bad
        assert "این پیوند لغو اشتراک معتبر نیست" in response.content.decode()
    assert settings_snapshot() == before


@pytest.mark.django_db
def test_a_signed_token_for_something_unknown_is_rejected(recipient):
    for payload in (
        {"u": recipient.pk, "e": "no_such_event", "c": "email"},
        {"u": recipient.pk, "e": "comment_replied", "c": "sms"},  # not a channel of this event
        {"u": recipient.pk, "e": "digest", "c": "email"},
        {"u": 999999, "e": "comment_replied", "c": "email"},
        ["not", "a", "dict"],
    ):
        token = signing.dumps(payload, salt="notifications.unsubscribe")
        assert Client().post(f"/notifications/unsubscribe/{token}/").status_code == 400
    assert not Preference.objects.exists()


@pytest.mark.django_db
def test_the_link_in_the_email_says_nothing_of_whom_or_what_it_is_about(emailed, recipient):
    token = re.search(r"/notifications/unsubscribe/([^/]+)/", emailed.body).group(1)
    assert ":" not in token and len(token) >= 40
    with pytest.raises(signing.BadSignature):
        signing.loads(token, salt="notifications.unsubscribe")
    readable = [token]
    for pad in ("", "=", "=="):
        try:
            readable.append(base64.urlsafe_b64decode(token + pad).decode("latin-1"))
        except ValueError:
            continue
    assert not any(str(recipient.pk) in text and "comment_replied" in text for text in readable)
    assert all("comment_replied" not in text and '"u"' not in text for text in readable)
    # The same person, event and channel get the same link in every later email.
    assert make_token(user_id=recipient.pk, event="comment_replied", channel=Channel.EMAIL) == token


@pytest.mark.django_db
def test_links_of_the_older_readable_kind_work_for_a_while_then_expire(recipient, settings):
    legacy = signing.dumps({"u": recipient.pk, "e": "comment_replied", "c": "email"}, salt="notifications.unsubscribe")
    assert Client().get(f"/notifications/unsubscribe/{legacy}/").status_code == 200
    later = time.time() + (LEGACY_TOKEN_DAYS + 1) * 86400
    with mock.patch("django.core.signing.time.time", return_value=later):
        response = Client().post(f"/notifications/unsubscribe/{legacy}/")
    assert response.status_code == 400
    assert not Preference.objects.filter(user=recipient, event="comment_replied").exists()
