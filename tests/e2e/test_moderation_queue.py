"""A moderator clears the queue from the keyboard: each decision changes its row in place, with an undo."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from projects.models import Comment, CommentStatus
from tests import factories
from tests.e2e.journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

QUEUE = "/admin/projects/moderationqueueitem/"
FIRST, SECOND = "نیمکت‌های پارک شکسته است", "چراغ‌های کوچه خاموش مانده"


def _tab_to(page, selector: str, limit: int = 200) -> None:
    """Press Tab until ``selector`` has the keyboard focus, as a keyboard user moves through the page."""
    for _ in range(limit):
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_a_moderator_approves_two_comments_by_keyboard(page, settings):
    settings.MODERATION_NOTICE_DELAY_SECONDS = 0
    district = factories.DistrictFactory()
    project = factories.ProjectFactory(district=district, title="بوستان محله")
    first, second = (
        factories.CommentFactory(project=project, text=text, status=CommentStatus.PENDING, published_at=None)
        for text in (FIRST, SECOND)
    )
    staff = factories.StaffFactory(districts=[district])
    sign_in(page, staff, QUEUE)

    for comment in (first, second):
        row = page.locator("#result_list tbody tr", has_text=comment.text)
        _tab_to(page, f'button[form="approve-{comment.pk}"]')
        page.keyboard.press("Enter")
        expect(row).to_contain_text("نظر تأیید و منتشر شد.")
        undo = row.locator(f'button[form="undo-{comment.pk}"]')
        expect(undo).to_be_focused()  # one more Enter would undo it
    assert page.url.endswith(QUEUE)  # no page load: the rows changed in place
    statuses = set(Comment.objects.filter(pk__in=[first.pk, second.pk]).values_list("status", flat=True))
    assert statuses == {CommentStatus.PUBLISHED}

    # Undo from the keyboard too: the row offers its buttons again and the comment waits.
    page.keyboard.press("Enter")
    expect(page.locator(f'button[form="approve-{second.pk}"]')).to_be_focused()
    second.refresh_from_db()
    assert second.status == CommentStatus.PENDING
