"""The moderation queue decides row by row in place: approve, reject with a reason, undo; the notice waits."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from core.audit import history
from notifications.models import Notification
from projects.models import CommentStatus
from projects.services import comment_moderate, comment_moderation_undo
from tests import factories

QUEUE = "/admin/projects/moderationqueueitem/"
HTMX = {"HTTP_HX_REQUEST": "true"}


def _decide(pk: int, decision: str) -> str:
    return f"{QUEUE}{pk}/decide/{decision}/"


def _pending(project, author, text="نظری که منتظر تصمیم است"):
    return factories.CommentFactory(
        project=project, author=author, text=text, status=CommentStatus.PENDING, published_at=None
    )


@pytest.fixture
def noticed(settings, eager_tasks, django_capture_on_commit_callbacks):
    """Run a call, then what it left for after its commit (the delayed notice task, eagerly)."""
    settings.MODERATION_NOTICE_DELAY_SECONDS = 0

    def _call(call, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return call(*args, **kwargs)

    return _call


def test_the_queue_shows_readable_rows_with_buttons(client_for, district_staff, project, citizen):
    long_text = "این پارک نیاز به نیمکت و سایه‌بان دارد " * 20
    comment = _pending(project, citizen, long_text)
    flagged = factories.CommentFactory(
        project=project,
        text="این طرح احمقانه نیست ولی مدیرش احمق است",
        status=CommentStatus.PENDING,
        auto_flagged=True,
        open_flag_count=2,
        author=None,
        published_at=None,
    )
    html = client_for(district_staff).get(QUEUE).content.decode()
    assert long_text not in html and long_text[:100] in html  # cut in the row …
    assert f'action="{_decide(comment.pk, "approve")}"' in html
    assert f'hx-post="{_decide(comment.pk, "reject")}"' in html
    assert f'form="approve-{comment.pk}"' in html and f'form="reject-{comment.pk}"' in html
    assert 'name="reason_choice"' in html and 'name="reason_text"' in html
    assert "htmx.min.js" in html and "<script>" not in html
    assert "کاربر حذف‌شده" in html and "احمق" in html and "۲" in html  # gone author, the matched word, open flags
    assert escape(project.title) in html and flagged.text in html
    page = client_for(district_staff).get(f"/admin/projects/moderationqueueitem/{comment.pk}/change/")
    assert long_text.strip() in page.content.decode()  # … and whole on its page


def test_approve_in_place_then_undo(client_for, district_staff, project, citizen, noticed, settings):
    comment = _pending(project, citizen)
    client = client_for(district_staff)
    response = noticed(client.post, _decide(comment.pk, "approve"), **HTMX)
    assert response.status_code == 200
    fragment = response.content.decode()
    assert f'id="decision-{comment.pk}"' in fragment and f'form="undo-{comment.pk}"' in fragment
    assert 'data-outcome="decided"' in fragment and "<html" not in fragment
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED and comment.moderated_by == district_staff
    assert Notification.objects.filter(recipient=citizen, event="comment_approved").exists()

    undone = noticed(client.post, _decide(comment.pk, "undo"), **HTMX)
    assert undone.status_code == 200 and f'form="approve-{comment.pk}"' in undone.content.decode()
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING and comment.moderated_by is None
    assert [e.action for e in history(comment)] == ["comment.approved", "comment.decision_undone"]


def test_reject_needs_a_reason_chosen_or_typed(client_for, district_staff, project, citizen, noticed):
    first, second = _pending(project, citizen), _pending(project, citizen, "نظر دوم")
    client = client_for(district_staff)
    empty = client.post(_decide(first.pk, "reject"), {"reason_choice": "", "reason_text": " "}, **HTMX)
    assert empty.status_code == 200 and "errornote" in empty.content.decode()
    first.refresh_from_db()
    assert first.status == CommentStatus.PENDING

    noticed(client.post, _decide(first.pk, "reject"), {"reason_choice": "off_topic"}, **HTMX)
    noticed(client.post, _decide(second.pk, "reject"), {"reason_text": "تکراری است"}, **HTMX)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == CommentStatus.REJECTED
    assert first.moderation_reason == "نامرتبط" and second.moderation_reason == "تکراری است"
    assert Notification.objects.filter(event="comment_rejected", recipient=citizen).count() == 2 * len(
        set(Notification.objects.filter(event="comment_rejected").values_list("channel", flat=True))
    )
    assert [e.action for e in history(first)] == ["comment.rejected"]


def test_without_htmx_the_button_posts_a_form_and_comes_back(client_for, district_staff, project, citizen):
    comment = _pending(project, citizen)
    response = client_for(district_staff).post(_decide(comment.pk, "approve"))
    assert response.status_code == 302 and response["Location"] == QUEUE
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PUBLISHED


def test_other_district_staff_and_citizens_cannot_decide(client_for, other_district_staff, citizen, project):
    comment = _pending(project, citizen)
    assert client_for(other_district_staff).post(_decide(comment.pk, "approve"), **HTMX).status_code == 404
    assert client_for(citizen).post(_decide(comment.pk, "approve"), **HTMX).status_code == 302  # to the login
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING and not history(comment).exists()


def test_an_unknown_decision_is_refused_and_a_get_changes_nothing(client_for, district_staff, project, citizen):
    comment = _pending(project, citizen)
    client = client_for(district_staff)
    assert client.post(_decide(comment.pk, "delete"), **HTMX).status_code == 403
    assert client.get(_decide(comment.pk, "approve")).status_code == 405
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_the_endpoint_refuses_a_post_without_the_csrf_token(district_staff, project, citizen):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(district_staff, backend="accounts.backends.PhoneOrEmailBackend")
    comment = _pending(project, citizen)
    assert client.post(_decide(comment.pk, "approve"), **HTMX).status_code == 403
    comment.refresh_from_db()
    assert comment.status == CommentStatus.PENDING


def test_an_undone_decision_sends_no_notice(
    district_staff, project, citizen, noticed, django_capture_on_commit_callbacks
):
    """The notice task runs after the delay; by then the comment is pending again, so it sends nothing."""
    comment = _pending(project, citizen)
    with django_capture_on_commit_callbacks() as waiting:
        comment_moderate(comment=comment, actor=district_staff, approve=True)
    comment_moderation_undo(comment=comment, actor=district_staff)
    for callback in waiting:  # the delay ends: the task runs now
        callback()
    assert not Notification.objects.filter(recipient=citizen).exists()


def test_a_decision_taken_again_is_told_once(
    district_staff, project, citizen, noticed, django_capture_on_commit_callbacks
):
    comment = _pending(project, citizen)
    with django_capture_on_commit_callbacks() as first:
        comment_moderate(comment=comment, actor=district_staff, approve=False, reason="توهین")
    comment_moderation_undo(comment=comment, actor=district_staff)
    with django_capture_on_commit_callbacks() as second:
        comment_moderate(comment=comment, actor=district_staff, approve=True)
    for callback in [*first, *second]:
        callback()
    events = set(Notification.objects.filter(recipient=citizen).values_list("event", flat=True))
    assert events == {"comment_approved"}


def test_the_notice_waits_the_configured_delay(
    settings, monkeypatch, district_staff, project, citizen, django_capture_on_commit_callbacks
):
    from projects.notices import send_comment_decision_notice

    settings.MODERATION_NOTICE_DELAY_SECONDS = 30
    sent = []
    # What is handed to the broker, not sent: the countdown is the broker's to keep.
    monkeypatch.setattr(send_comment_decision_notice, "apply_async", lambda *args, **kwargs: sent.append(kwargs))
    with django_capture_on_commit_callbacks(execute=True):
        comment_moderate(comment=_pending(project, citizen), actor=district_staff, approve=True)
    assert [options["countdown"] for options in sent] == [30]
    assert not Notification.objects.filter(recipient=citizen).exists()


def test_undo_needs_a_decision(district_staff, project, citizen):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        comment_moderation_undo(comment=_pending(project, citizen), actor=district_staff)


def test_the_queue_costs_the_same_queries_for_3_or_30_comments(client_for, district_staff, project, citizen):
    client = client_for(district_staff)
    counts = []
    for total in (3, 30):
        while project.comments.count() < total:
            _pending(project, citizen if total == 3 else None)
        client.get(QUEUE)  # warm the word list's cache
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(QUEUE).status_code == 200
        counts.append(sum('"django_session"' not in q["sql"] for q in ctx.captured_queries))
    assert counts[0] == counts[1]
