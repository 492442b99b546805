"""A district staff member's journey in the admin: verify, moderate, and stay inside their district.

Rows of both districts exist beforehand (factories); every decision and
every attempt to reach the other district happens in Chromium.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from ngos.models import Organization, OrganizationStatus
from projects.models import Comment, CommentStatus
from tests import factories
from tests.e2e.journeys import admin_action, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

OURS, THEIRS = "خیریه امید منطقه هفت", "خیریه نور منطقه هشت"
OUR_COMMENT, THEIR_COMMENT = "نظر شهروند منطقه هفت درباره پارک", "نظر محرمانه منطقه هشت درباره پل"


def test_district_staff_verify_moderate_and_cannot_reach_another_district(page):
    district = factories.DistrictFactory(name="منطقه ۷")
    other = factories.DistrictFactory(city=district.city, name="منطقه ۸")
    ours = factories.OrganizationFactory(
        city=district.city, name=OURS, districts=[district], status=OrganizationStatus.SUBMITTED
    )
    theirs = factories.OrganizationFactory(
        city=district.city, name=THEIRS, districts=[other], status=OrganizationStatus.SUBMITTED
    )
    our_project = factories.ProjectFactory(district=district, title="پارک یاس")
    their_project = factories.ProjectFactory(district=other, title="پل عابر پیاده منطقه هشت")
    our_comment = factories.CommentFactory(
        project=our_project, text=OUR_COMMENT, status=CommentStatus.PENDING, published_at=None
    )
    their_comment = factories.CommentFactory(
        project=their_project, text=THEIR_COMMENT, status=CommentStatus.PENDING, published_at=None
    )
    neighborhood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other))
    their_report = factories.NeedReportFactory(neighborhood=neighborhood, title="گزارش نیاز منطقه هشت")
    staff = factories.StaffFactory(districts=[district], display_name="کارشناس منطقه هفت")

    sign_in(page, staff, "/admin/")

    # The verification queue lists only organisations serving the staff member's district.
    page.goto("/admin/ngos/verificationqueue/")
    expect(page.locator("#result_list")).to_contain_text(OURS)
    expect(page.locator("#content")).not_to_contain_text(THEIRS)
    page.locator("#result_list tbody tr", has_text=OURS).locator("input[name=_selected_action]").check()
    # A forged tick for the other district's organisation rides along with the real one.
    page.evaluate(
        """pk => {
            const box = document.createElement('input');
            box.type = 'checkbox'; box.name = '_selected_action'; box.value = String(pk); box.checked = true;
            document.querySelector('#changelist-form').appendChild(box);
        }""",
        theirs.pk,
    )
    page.select_option("select[name=action]", label="تأیید تشکل‌های انتخاب‌شده")
    page.locator("button[name=index]").click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("[1۱] تشکل تأیید شد"))
    expect(page.locator("#content")).not_to_contain_text(OURS)
    assert Organization.objects.get(pk=ours.pk).status == OrganizationStatus.VERIFIED
    assert Organization.objects.get(pk=theirs.pk).status == OrganizationStatus.SUBMITTED
    page.goto(f"/organizations/{ours.pk}/")
    expect(page.locator("h1")).to_contain_text(OURS)

    # Moderation: only this district's comments, rejected with a reason the author will read.
    page.goto("/admin/projects/moderationqueueitem/")
    expect(page.locator("#result_list")).to_contain_text(OUR_COMMENT)
    expect(page.locator("#content")).not_to_contain_text(THEIR_COMMENT)
    admin_action(page, "/admin/projects/moderationqueueitem/", OUR_COMMENT, "رد نظرهای انتخاب‌شده (با ذکر دلیل)")
    page.fill("textarea[name=reason]", "نظر به موضوع پروژه مربوط نیست.")
    page.get_by_role("button", name="رد", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text(re.compile("[1۱] نظر رد شد"))
    our_comment.refresh_from_db()
    assert (our_comment.status, our_comment.moderation_reason) == (
        CommentStatus.REJECTED,
        "نظر به موضوع پروژه مربوط نیست.",
    )
    page.goto("/admin/projects/comment/")
    expect(page.locator("#content")).not_to_contain_text(THEIR_COMMENT)

    # The other district's rows are in no changelist ...
    for changelist, secret in [
        ("/admin/ngos/organization/", THEIRS),
        ("/admin/projects/project/", their_project.title),
        ("/admin/neighborhoods/needreport/", their_report.title),
    ]:
        page.goto(changelist)
        expect(page.locator("#changelist")).to_be_visible()
        expect(page.locator("#content")).not_to_contain_text(secret)

    # ... and typing their addresses shows an error or the admin index, never the row.
    for url, secret in [
        (f"/admin/ngos/organization/{theirs.pk}/change/", THEIRS),
        (f"/admin/ngos/organization/{theirs.pk}/history/", THEIRS),
        (f"/admin/ngos/organization/{theirs.pk}/delete/", THEIRS),
        (f"/admin/ngos/verificationqueue/{theirs.pk}/change/", THEIRS),
        (f"/admin/projects/comment/{their_comment.pk}/change/", THEIR_COMMENT),
        (f"/admin/projects/moderationqueueitem/{their_comment.pk}/change/", THEIR_COMMENT),
        (f"/admin/projects/project/{their_project.pk}/change/", their_project.title),
        (f"/admin/neighborhoods/needreport/{their_report.pk}/change/", their_report.title),
    ]:
        response = page.goto(url)
        assert secret not in page.content(), url
        if response.status not in (403, 404):
            # The admin sends them back to its index, still signed in, saying there is no such row.
            expect(page).to_have_url(re.compile(r"/admin/$"))
            expect(page.locator("#user-tools")).to_be_visible()
            expect(page.locator(".messagelist .warning")).to_have_count(1)
    assert Comment.objects.get(pk=their_comment.pk).status == CommentStatus.PENDING
    assert Organization.objects.filter(pk=theirs.pk).exists()

    # On the public page of the other district's need report there is nothing for them to change.
    page.goto(f"/needs/{their_report.pk}/")
    expect(page.locator("h1")).to_have_text(their_report.title)
    expect(page.locator("form[action$='/status/']")).to_have_count(0)

    assert page.js_errors == []
