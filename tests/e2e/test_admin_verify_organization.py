"""District staff verify an organisation from its admin page and land on the next one waiting.

The page is also checked with axe (serious and critical problems, 24 px
targets) and for sideways scrolling, at a desktop width and at a phone's.
"""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from ngos.models import Organization, OrganizationStatus
from tests import factories
from tests.e2e.journeys import sign_in
from tests.e2e.test_accessibility import axe_problems, layout_problems

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]


def _change(organization) -> str:
    return f"/admin/ngos/organization/{organization.pk}/change/"


def test_staff_verify_an_organisation_and_go_on_to_the_next(page):
    district = factories.DistrictFactory()
    now = timezone.now()
    first, second = (
        factories.OrganizationFactory(
            city=district.city,
            districts=[district],
            status=OrganizationStatus.SUBMITTED,
            status_changed_at=now - dt.timedelta(days=days),
        )
        for days in (3, 1)
    )
    staff = factories.StaffFactory(districts=[district])
    sign_in(page, staff, _change(first))

    decisions = page.locator("section.lifecycle")
    expect(decisions).to_contain_text("وضعیت کنونی")
    problems = []
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        problems += [f"{width}px: {problem}" for problem in axe_problems(page) + layout_problems(page)]
    # The reject step opens its reason fields in place (a list of usual reasons and a text box).
    decisions.locator("summary", has_text="رد").focus()
    page.keyboard.press("Enter")
    expect(decisions.get_by_label("دلایل رایج")).to_be_visible()
    problems += [f"reasons open: {problem}" for problem in axe_problems(page) + layout_problems(page)]
    assert problems == []
    page.set_viewport_size({"width": 1280, "height": 900})

    decisions.get_by_role("button", name="تأیید", exact=True).click()
    expect(page).to_have_url(re.compile(re.escape(_change(second)) + "$"))
    expect(page.locator(".messagelist")).to_contain_text("تأیید شد.")
    expect(page.locator("#content h2").first).to_have_text(second.name)
    expect(decisions.get_by_role("button", name="تأیید", exact=True)).to_be_visible()
    assert Organization.objects.get(pk=first.pk).status == OrganizationStatus.VERIFIED
    assert Organization.objects.get(pk=second.pk).status == OrganizationStatus.SUBMITTED
