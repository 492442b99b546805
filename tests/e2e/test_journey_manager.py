"""An organisation manager's journey: register with a licence scan, get verified, change the licence.

The manager and the staff member exist beforehand (factories); the
registration, the verification and the edit all happen in Chromium.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

from ngos.models import Organization, OrganizationStatus
from places.forms import district_label
from tests import factories
from tests.e2e.journeys import admin_action, sign_in

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

NAME = "انجمن حامیان کودکان محله یاس"
DRAFT, SUBMITTED, VERIFIED = "پیش‌نویس", "ارسال‌شده برای تأیید", "تأییدشده"
# The smallest well-formed PDF a scanner might produce.
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


def test_manager_registers_is_verified_and_a_licence_change_needs_verification_again(page, open_page, tmp_path):
    district = factories.DistrictFactory(name="منطقه ۷")
    manager = factories.UserFactory(display_name="رضا کریمی")
    staff = factories.StaffFactory(districts=[district])
    scan = tmp_path / "licence-scan.pdf"
    scan.write_bytes(PDF)

    # Basic data: the organisation is created as a draft.
    sign_in(page, manager, "/organizations/register/")
    page.select_option("select[name=city]", str(district.city_id))
    page.select_option("select[name=kind]", "ngo")
    page.fill("input[name=name]", NAME)
    page.fill("input[name=registration_number]", "۱۲۳۴۵")
    page.fill("input[name=managing_director]", "رضا کریمی")
    page.fill("textarea[name=summary]", "یاری به کودکان کار محله")
    page.get_by_role("button", name="ذخیره و ادامه").click()

    # The licence, with its scan uploaded from disk.
    expect(page.locator("h1")).to_have_text("پروانه")
    page.select_option("select[name=licence_issuer]", "governorate")
    page.fill("input[name=licence_number]", "۹۸/۴۵۶")
    page.fill("input[name=licence_issued_on]", "۱۴۰۲/۰۱/۱۵")
    page.fill("input[name=licence_expires_on]", "۱۴۰۸/۰۱/۱۵")
    page.set_input_files("input[name=licence_document]", str(scan))
    page.get_by_role("button", name="ذخیره و ادامه").click()

    # Fields of activity and the district served, then the contacts.
    _pick(page, "activities", "کودکان")
    _pick(page, "districts", district_label(district))
    page.get_by_role("button", name="ذخیره و ادامه").click()
    page.fill("textarea[name=address]", "خیابان یاس، کوچه ۳، پلاک ۱۲")
    page.get_by_role("button", name="ذخیره", exact=True).click()

    organization = Organization.objects.get(name=NAME)
    expect(page).to_have_url(re.compile(rf"/organizations/{organization.pk}/manage/$"))
    expect(page.locator(".ngo-status")).to_have_text(DRAFT)
    with organization.licence_document.open("rb") as stored:
        assert stored.read() == PDF
    # The scan is not public media: the manage page links its permission-checked download.
    with page.expect_download() as download:
        page.get_by_role("link", name="تصویر پروانه").click()
    assert download.value.suggested_filename == f"licence-{organization.pk}.pdf"
    assert Path(download.value.path()).read_bytes() == PDF

    # Submit: the page now says it waits for staff.
    page.get_by_role("button", name="ارسال برای تأیید").click()
    expect(page.locator(".messages")).to_contain_text("ارسال شد. کارشناسان ثبت‌نام و پروانه را بررسی می‌کنند.")
    expect(page.locator(".ngo-status")).to_have_text(SUBMITTED)

    # Staff of the district served verify it from the verification queue.
    staff_page = open_page()
    sign_in(staff_page, staff, "/admin/")
    admin_action(staff_page, "/admin/ngos/verificationqueue/", NAME, "تأیید تشکل‌های انتخاب‌شده")
    expect(staff_page.locator(".messagelist")).to_contain_text(re.compile("[1۱] تشکل تأیید شد"))

    page.reload()
    expect(page.locator(".ngo-status")).to_have_text(VERIFIED)
    page.locator(".inbox-link").click()
    expect(page.locator(".inbox-list")).to_contain_text(f"«{NAME}» تأیید شد")
    page.goto("/organizations/")
    expect(page.get_by_role("link", name=NAME)).to_be_visible()

    # After verification the manager renews the licence: it goes back to staff.
    page.goto(f"/organizations/{organization.pk}/manage/")
    page.get_by_role("link", name="ویرایش نمایه").click()
    page.locator(".ngo-steps").get_by_role("link", name="پروانه").click()
    expect(page.locator(".message-warning")).to_have_text(
        "تغییر پروانه، نمایه را برای تأیید دوباره نزد کارشناسان می‌فرستد."
    )
    expect(page.locator("input[name=licence_number]")).to_have_value(re.compile("456|۴۵۶"))
    expect(page.locator("input[name=licence_issued_on]")).to_have_value("1402/01/15")
    page.fill("input[name=licence_number]", "۱۴۰۴/۷۷۷")
    page.fill("input[name=licence_expires_on]", "۱۴۰۹/۰۱/۱۵")
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator(".messages")).to_contain_text(
        "پروانه تغییر کرد؛ کارشناسان نمایه را دوباره بررسی و تأیید می‌کنند."
    )
    expect(page.locator(".ngo-status")).to_have_text(SUBMITTED)
    history = page.locator("table tbody")
    expect(history).to_contain_text(f"{VERIFIED} ← {SUBMITTED}")

    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.SUBMITTED
    staff_page.goto("/admin/ngos/verificationqueue/")
    expect(staff_page.locator("#result_list")).to_contain_text(NAME)

    assert page.js_errors == [] and staff_page.js_errors == []


def _pick(page, field: str, text: str) -> None:
    """Choose one option of a searchable picker the way a person does: type part of it, click it."""
    picker = page.locator(f"#id_{field}-ts-control")
    picker.click()
    picker.press_sequentially(text)
    page.locator(f"#id_{field}-ts-dropdown .option", has_text=text).first.click()
    page.locator("h1").click()  # clicking elsewhere closes the list, as it does for a person
    expect(page.locator(f"#id_{field}-ts-dropdown")).to_be_hidden()
    expect(page.locator(f"#id_{field}-ts-control").locator("xpath=..")).to_contain_text(text)
