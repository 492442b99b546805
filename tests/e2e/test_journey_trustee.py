"""A trustee's journey: report a need of the neighbourhood and follow it as staff move it on.

The board, its member and the district's staff exist beforehand (factories);
the report, the status changes and the follow-up happen in Chromium.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from neighborhoods.models import NeedReport
from tests import factories
from tests.e2e.journeys import sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

TITLE = "قطعی آب در کوچه شهید رضایی"
REPORTED, REFERRED, IN_PROGRESS = "گزارش‌شده", "ارجاع‌شده", "در دست اقدام"
AGENCY = "شرکت آب و فاضلاب منطقه ۷"


def test_trustee_reports_a_need_and_follows_its_status(page, open_page):
    district = factories.DistrictFactory(name="منطقه ۷")
    neighborhood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district), name="محله یاس")
    board = factories.TrusteeBoardFactory(neighborhood=neighborhood)
    trustee = factories.trustee_of(board, user=factories.UserFactory(display_name="حاج محمود")).user
    staff = factories.StaffFactory(districts=[district], display_name="کارشناس منطقه")

    # From the neighbourhood page, the board member files a need.
    sign_in(page, trustee, f"/neighborhoods/{neighborhood.pk}/")
    page.get_by_role("link", name="گزارش نیاز محله").click()
    page.select_option("select[name=category]", "water")
    page.fill("input[name=title]", TITLE)
    page.fill("textarea[name=description]", "از سه روز پیش آب ۴۰ خانوار قطع است.")
    page.get_by_role("button", name="ارسال گزارش").click()
    expect(page.locator(".messages")).to_contain_text("سپاس. نیاز به کارشناسان منطقه گزارش شد.")
    expect(page.locator("h1")).to_have_text(TITLE)
    expect(page.locator(".facts .tag")).to_have_text(REPORTED)
    report = NeedReport.objects.get(title=TITLE)
    expect(page).to_have_url(re.compile(rf"/needs/{report.pk}/$"))
    # Only staff may move it on: the trustee has no status form.
    expect(page.locator("form[action$='/status/']")).to_have_count(0)

    # Staff of the district refer it to the water company, then start work on it.
    staff_page = open_page()
    sign_in(staff_page, staff, f"/needs/{report.pk}/")
    staff_page.select_option("select[name=status]", "referred")
    staff_page.fill("input[name=agency]", AGENCY)
    staff_page.fill("textarea[name=note]", "پیگیری با اولویت بالا")
    staff_page.locator(".nbh-staff").get_by_role("button", name="ذخیره").click()
    expect(staff_page.locator(".messages")).to_contain_text("وضعیت گزارش تغییر کرد.")
    expect(staff_page.locator(".facts .tag")).to_have_text(REFERRED)
    staff_page.select_option("select[name=status]", "in_progress")
    staff_page.locator(".nbh-staff").get_by_role("button", name="ذخیره").click()
    expect(staff_page.locator(".facts .tag")).to_have_text(IN_PROGRESS)

    # The trustee finds it among their own reports with its new status ...
    page.goto("/needs/")
    page.locator("input[name=mine]").check()
    page.get_by_role("button", name="فیلتر").click()
    card = page.locator(".nbh-need", has_text=TITLE)
    expect(card).to_have_count(1)
    expect(card.locator(".tag").last).to_have_text(IN_PROGRESS)
    card.get_by_role("link", name=TITLE).click()

    # ... and reads the whole history, with the agency and the staff note.
    history = page.locator(".nbh-history li")
    expect(history).to_have_count(3)
    expect(history.nth(1)).to_contain_text(f"{REPORTED} ← {REFERRED}")
    expect(history.nth(1)).to_contain_text(f"ارجاع به {AGENCY}")
    expect(history.nth(1)).to_contain_text("پیگیری با اولویت بالا")
    expect(history.nth(2)).to_contain_text(f"{REFERRED} ← {IN_PROGRESS}")

    # Each change also reached the inbox.
    page.locator(".inbox-link").click()
    inbox = page.locator(".inbox-list")
    expect(inbox).to_contain_text(f"گزارش نیاز «{TITLE}»: {REFERRED}")
    expect(inbox).to_contain_text(f"گزارش نیاز «{TITLE}»: {IN_PROGRESS}")

    assert page.js_errors == [] and staff_page.js_errors == []
