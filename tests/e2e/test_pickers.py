"""Pickers in the browser: a manager finds a neighbourhood by typing, and staff lists fit a tablet.

The plan form's neighbourhood list becomes a tom-select picker (js/pickers.js):
typing with an Arabic keyboard's ك still finds «کوثر», the choice is saved, and
axe finds nothing serious on the enhanced form. The admin's organisation and
comment lists at 768 px keep the page its own width: a wide table scrolls in
its own box.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from ngos.models import Plan
from tests import factories
from tests.e2e.journeys import sign_in
from tests.e2e.test_accessibility import axe_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

LONG = "بازسازی و نوسازی کامل سرای محله و کتابخانهٔ عمومی با مشارکت خیرین و داوطلبان محله " * 3


def test_a_manager_picks_a_neighbourhood_by_typing_and_the_plan_has_it(page):
    manager = factories.UserFactory()
    district = factories.DistrictFactory(number=10)
    organization = factories.VerifiedOrganizationFactory(city=district.city, districts=[district], managers=[manager])
    area = factories.AreaFactory(district=district)
    kowsar = factories.NeighborhoodFactory(area=area, name="کوثر")
    factories.NeighborhoodFactory(area=area, name="لاله")
    url = f"/organizations/{organization.pk}/plans/new/"
    refused: list[str] = []  # the Content Security Policy blocks nothing the picker does
    page.on("console", lambda message: refused.append(message.text) if "Refused to" in message.text else None)
    sign_in(page, manager, url)

    page.fill("#id_title", "کتابخانهٔ کوچک محله")
    page.fill("#id_description", "قفسه، کتاب و میز مطالعه")
    page.fill("#id_estimated_budget", "1000000")
    picker = page.locator("#id_target_neighborhoods-ts-control")
    picker.click()
    picker.press_sequentially("كوثر")  # Arabic kaf, as some keyboards type it
    option = page.locator(".ts-dropdown .option", has_text="کوثر — منطقهٔ ۱۰")
    expect(option).to_be_visible()
    expect(page.locator(".ts-dropdown .option", has_text="لاله")).to_have_count(0)
    expect(page.locator(".ts-dropdown .optgroup-header", has_text="منطقهٔ ۱۰")).to_be_visible()
    option.click()
    picker.fill("zzz")
    expect(page.locator(".ts-dropdown .no-results")).to_have_text("موردی یافت نشد")
    picker.fill("")
    assert axe_problems(page) == []

    page.locator("main form button[type=submit]").click()
    page.wait_for_load_state()
    plan = Plan.objects.get(organization=organization)
    assert list(plan.target_neighborhoods.all()) == [kowsar]
    assert page.js_errors == [] and refused == []


def test_the_picker_fits_a_phone(page):
    manager = factories.UserFactory()
    district = factories.DistrictFactory()
    organization = factories.VerifiedOrganizationFactory(city=district.city, districts=[district], managers=[manager])
    factories.NeighborhoodFactory(area=factories.AreaFactory(district=district), name=LONG[:110])
    page.set_viewport_size({"width": 390, "height": 844})
    sign_in(page, manager, f"/organizations/{organization.pk}/edit/areas/")
    page.locator("#id_neighborhoods-ts-control").click()
    expect(page.locator(".ts-dropdown .option").first).to_be_visible()
    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")


@pytest.mark.parametrize("changelist", ["/admin/ngos/organization/", "/admin/projects/comment/"])
def test_admin_lists_fit_a_tablet_and_scroll_inside_their_box(page, changelist):
    district = factories.DistrictFactory()
    project = factories.ProjectFactory(district=district, title=LONG[:180])
    for n in range(3):
        factories.VerifiedOrganizationFactory(city=district.city, districts=[district], name=f"{LONG[:150]} {n}")
        factories.CommentFactory(project=project, text=LONG)
    page.set_viewport_size({"width": 768, "height": 1000})
    sign_in(page, factories.CityAdminFactory(), changelist)

    assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    box = page.evaluate(
        """() => { const r = document.querySelector('#changelist-form .results');
        const s = getComputedStyle(r); return {overflow: s.overflowX, width: r.clientWidth}; }"""
    )
    assert box["overflow"] == "auto" and box["width"] > 600  # the list has the page's width, not a strip
    cell = page.locator("#result_list tbody tr").first.locator("th, td").nth(1)
    assert "…" in page.locator("#result_list tbody").inner_text()  # long text is cut; the change page has it all
    assert cell.bounding_box()["width"] < 400
    checkbox = page.locator("#result_list tbody td.action-checkbox").first
    expect(checkbox).to_be_in_viewport()
