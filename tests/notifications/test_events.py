import datetime as dt

import pytest
from django.utils import translation

from notifications.events import EVENTS, Channel, MissingContext, get_event, user_events
from notifications.models import Notification
from notifications.services import notify

# Item 4 of the issue: every event a person can be told about.
ISSUE_EVENTS = {
    "comment_replied",
    "comment_approved",
    "comment_rejected",
    "project_phase_changed",
    "project_update_posted",
    "organization_verified",
    "organization_rejected",
    "organization_changes_requested",
    "organization_licence_expiring",
    "organization_licence_expired",
    "need_report_status_changed",
    "volunteer_application_accepted",
    "volunteer_application_declined",
    "budgeting_round_opened",
    "budgeting_round_results",
}


def sample_context(event):
    values = {
        "days": 30,
        "expiry_date": dt.date(2026, 3, 21),
        "closes_on": dt.date(2026, 4, 1),
        "starts_at": dt.datetime(2026, 4, 1, 10, 30),
    }
    return {name: values.get(name, f"«{name}»") for name in (*event.params, *event.optional)}


def test_registry_has_every_event_of_the_issue():
    assert ISSUE_EVENTS <= {event.key for event in user_events()}


@pytest.mark.parametrize("key", sorted(EVENTS.keys() - {"digest"}))
def test_every_event_reads_in_persian_and_english(key):
    event = get_event(key)
    assert Channel.IN_APP in event.defaults <= event.channels
    with translation.override("fa"):
        subject_fa, body_fa = event.render(sample_context(event))
    with translation.override("en"):
        subject_en, body_en = event.render(sample_context(event))
    assert subject_fa != subject_en and body_fa != body_en, "no Persian translation"
    assert "\n" not in subject_fa
    for name in event.params:
        if name not in {"days", "expiry_date", "closes_on", "starts_at"}:
            assert f"«{name}»" in subject_fa + body_fa


def test_dates_read_as_jalali_and_numbers_with_persian_digits():
    event = get_event("organization_licence_expiring")
    with translation.override("fa"):
        subject, body = event.render({"organization": "سمن", "days": 7, "expiry_date": dt.date(2026, 3, 21)})
    assert "۷" in subject
    assert "۱ فروردین ۱۴۰۵" in body


def test_urgent_events_skip_the_digest_and_sms_defaults_are_sparse():
    assert not get_event("organization_verified").digestible
    assert get_event("comment_replied").digestible
    sms_by_default = {event.key for event in user_events() if Channel.SMS in event.defaults}
    assert sms_by_default == {"organization_licence_expiring", "organization_licence_expired"}


@pytest.mark.django_db
def test_missing_context_writes_nothing(recipient):
    with pytest.raises(MissingContext, match="excerpt"):
        notify(event="comment_replied", recipients=[recipient], context={"actor": "a", "project": "p"})
    assert not Notification.objects.exists()


@pytest.mark.django_db
def test_unknown_event_and_internal_event_are_refused(recipient):
    with pytest.raises(ValueError, match="Unknown notification event"):
        notify(event="no_such_event", recipients=[recipient])
    with pytest.raises(ValueError):
        notify(event="digest", recipients=[recipient], context={"count": 1, "items": ""})
    assert not Notification.objects.exists()
