"""A moderator clears a queue of 20 comments with the keyboard alone: no mouse, no page load.

Each decision changes its row in place (htmx) and the focus moves on to the
next row still waiting, so approving is one Enter; rejecting is a few keys
(open "Reject…", choose or type a reason, Reject); a slip is undone a few
Shift+Tabs back, and the undone row offers its buttons again.
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone, translation
from playwright.sync_api import expect

from projects.models import Comment, CommentStatus, FlagReason
from tests import factories
from tests.e2e.journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

QUEUE = "/admin/projects/moderationqueueitem/"
APPROVED, REJECTED, UNDONE = "نظر تأیید و منتشر شد.", "نظر رد شد.", "تصمیم برگردانده شد"
TOTAL = 20
# Rows rejected, and how: a usual reason picked from the list, or one typed in.
PICKED, TYPED = {3, 15}, {9: "این نظر تکراری است"}
SLIP = 5  # approved by mistake, undone, then rejected with a typed reason
SLIP_REASON = "نشانی و تلفن شخصی در متن آمده"


def _focused(page, selector: str) -> bool:
    return page.evaluate("s => !!document.activeElement && document.activeElement.matches(s)", selector)


def _tab_to(page, selector: str, *, back: bool = False, limit: int = 200) -> int:
    """Press Tab (or Shift+Tab) until ``selector`` has the keyboard focus; return how many presses it took."""
    for presses in range(limit + 1):
        if _focused(page, selector):
            return presses
        page.keyboard.press("Shift+Tab" if back else "Tab")
    raise AssertionError(f"the keyboard never reached {selector}")


def _reject(page, pk: int, *, typed: str = "") -> int:
    """From the row's Approve button: open "Reject…", give a reason, press Reject. Return the keys pressed."""
    keys = _tab_to(page, f"#decision-{pk} summary")
    page.keyboard.press("Enter")  # opens the reasons
    keys += 1 + _tab_to(page, f"#id_reason_choice_{pk}")
    if typed:
        keys += _tab_to(page, f"#id_reason_text_{pk}")
        page.keyboard.type(typed)
    else:
        page.keyboard.press("ArrowDown")  # the first usual reason
    keys += 1 + _tab_to(page, f'button[form="reject-{pk}"]')
    page.keyboard.press("Space")
    return keys + 1


def test_a_moderator_decides_20_comments_by_keyboard_alone(page, settings):
    settings.MODERATION_NOTICE_DELAY_SECONDS = 0
    district = factories.DistrictFactory()
    project = factories.ProjectFactory(district=district, title="بوستان محله")
    start = timezone.now() - dt.timedelta(days=1)
    comments = [
        factories.CommentFactory(
            project=project,
            text=f"نظر شمارهٔ {n} دربارهٔ بوستان؛ " + "نیمکت و سایه‌بان لازم است. " * (1 + n % 4),
            status=CommentStatus.PENDING,
            published_at=None,
            created_at=start + dt.timedelta(minutes=n),
        )
        for n in range(TOTAL)
    ]
    staff = factories.StaffFactory(districts=[district])
    sign_in(page, staff, QUEUE)
    page.keyboard.press("Tab")  # focus enters the page
    _tab_to(page, f'button[form="approve-{comments[0].pk}"]')

    status = page.locator("#queue-status")
    presses = []
    for n, comment in enumerate(comments):
        row = page.locator(f"#decision-{comment.pk}")
        expect(page.locator(f'button[form="approve-{comment.pk}"]')).to_be_focused()
        if n in PICKED or n in TYPED:
            presses.append(_reject(page, comment.pk, typed=TYPED.get(n, "")))
            expect(row).to_contain_text(REJECTED)
            expect(status).to_contain_text(REJECTED)  # read out by a screen reader
        else:
            page.keyboard.press("Enter")
            presses.append(1)
            expect(row).to_contain_text(APPROVED)
            expect(status).to_have_text(APPROVED)
        if n == SLIP:
            # A slip: Shift+Tab back to its Undo, Enter; the row waits again with the focus on Approve.
            expect(page.locator(f'button[form="approve-{comments[n + 1].pk}"]')).to_be_focused()
            assert _tab_to(page, f'button[form="undo-{comment.pk}"]', back=True, limit=6) <= 6
            page.keyboard.press("Enter")
            expect(row).to_contain_text(UNDONE)
            expect(page.locator(f'button[form="approve-{comment.pk}"]')).to_be_focused()
            assert Comment.objects.get(pk=comment.pk).status == CommentStatus.PENDING
            _reject(page, comment.pk, typed=SLIP_REASON)
            expect(row).to_contain_text(REJECTED)
            expect(row).to_contain_text(SLIP_REASON)

    # The last decision has no waiting row after it: the focus stays on its Undo.
    expect(page.locator(f'button[form="undo-{comments[-1].pk}"]')).to_be_focused()
    assert page.url.endswith(QUEUE)  # no page load: every row changed in place
    assert max(presses) <= 8 and presses.count(1) == TOTAL - len(PICKED) - len(TYPED)
    expect(page.locator("#result_list button[form^='undo-']")).to_have_count(TOTAL)
    expect(page.locator("#result_list button[form^='approve-']")).to_have_count(0)
    assert not page.js_errors

    decided = {c.pk: c for c in Comment.objects.filter(project=project)}
    with translation.override("fa"):
        picked_reason = str(FlagReason.INSULT.label)
    rejected = {n for n, c in enumerate(comments) if decided[c.pk].status == CommentStatus.REJECTED}
    assert rejected == PICKED | set(TYPED) | {SLIP}
    assert all(decided[c.pk].status == CommentStatus.PUBLISHED for n, c in enumerate(comments) if n not in rejected)
    assert {decided[comments[n].pk].moderation_reason for n in PICKED} == {picked_reason}
    assert decided[comments[9].pk].moderation_reason == TYPED[9]
    assert decided[comments[SLIP].pk].moderation_reason == SLIP_REASON
    assert all(c.moderated_by_id == staff.pk for c in decided.values())
    project.refresh_from_db()
    assert project.comment_count == TOTAL - len(rejected)
