"""One person, one vote, in Chromium: sign up by SMS code, support, vote, move home, and be refused a second ballot.

The code is read from the SMS file backend as a phone would show it; the
moving home goes through the profile page, first refused by the city's
cooldown (with the Jalali date from which a move is possible), then allowed
once by district staff.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from accounts.residency import residency_allow_early_move
from core.persian import to_persian_digits
from projects.models import Ballot, Phase, Support
from tests import factories
from tests.browser import sms_code

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords", "sms_delivery")]

NUMBER = "09127654321"


def test_a_citizen_signs_up_by_code_supports_moves_and_cannot_vote_twice_in_a_cycle(page):
    city = factories.CityFactory(name="تهران", slug="tehran")
    first = factories.DistrictFactory(city=city, name="منطقه ۳", number=3)
    second = factories.DistrictFactory(city=city, name="منطقه ۸", number=8)
    home = factories.NeighborhoodFactory(area=factories.AreaFactory(district=first), name="محله زرگنده")
    new_home = factories.NeighborhoodFactory(area=factories.AreaFactory(district=second), name="محله تهرانپارس")
    factories.CityParticipationSettingsFactory(city=city)
    park = factories.ProjectFactory(title="پارک زرگنده", district=first, phase=Phase.PROPOSED, budget=4_000_000)
    library = factories.ProjectFactory(
        title="کتابخانه تهرانپارس", district=second, phase=Phase.PROPOSED, budget=4_000_000
    )
    cycle = factories.BudgetingCycleFactory(city=city, title="بودجه‌ریزی مشارکتی ۱۴۰۵")
    first_round = factories.BudgetingRoundFactory(
        cycle=cycle, district=first, title="بودجه منطقه ۳", eligible_projects=[park]
    )
    second_round = factories.BudgetingRoundFactory(
        cycle=cycle, district=second, title="بودجه منطقه ۸", eligible_projects=[library]
    )
    staff = factories.StaffFactory(districts=[first, second])

    # Sign-up by code: the number typed in Persian digits, the code read from the SMS.
    page.goto("/accounts/otp/")
    page.fill("input[name=mobile]", to_persian_digits(NUMBER))
    page.get_by_role("button", name="ارسال کد").first.click()
    expect(page).to_have_url(re.compile(r"/accounts/otp/verify/$"))
    page.fill("input[name=code]", to_persian_digits(sms_code(NUMBER)))
    page.get_by_role("button", name="تأیید", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("حساب شما ساخته شد")
    citizen = User.objects.get(phone="+989127654321")
    assert citizen.mobile_verified

    # The first home is chosen freely on the profile.
    page.goto("/accounts/profile/")
    page.fill("input[name=display_name]", "نرگس احمدی")
    page.select_option("select[name=home_neighborhood]", str(home.pk))
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()

    # Support a project of the district and vote in its round.
    page.goto(park.get_absolute_url())
    page.get_by_role("button", name="حمایت از این پروژه").click()
    expect(page.locator("#support .support-count")).to_contain_text("۱")
    page.goto(first_round.get_absolute_url())
    page.check(f"input[name=projects][value='{park.pk}']")
    page.get_by_role("button", name="ثبت رأی", exact=True).click()
    expect(page.locator(".messages")).to_contain_text("رأی شما ثبت شد")

    # A move right away is refused, naming the Jalali date from which one is possible.
    page.goto("/accounts/profile/")
    page.select_option("select[name=home_neighborhood]", str(new_home.pk))
    page.get_by_role("button", name="ذخیره", exact=True).click()
    error = page.locator(".field-error, .errorlist").first
    expect(error).to_contain_text("۱۴")  # a Jalali year in Persian digits
    expect(error).not_to_contain_text("20")
    citizen.refresh_from_db()
    assert citizen.home_neighborhood_id == home.pk

    # Staff allow one earlier move (audited, with a reason); now the move goes through.
    residency_allow_early_move(actor=staff, user=citizen, reason="اجاره‌نامهٔ تازه دیده شد")
    page.goto("/accounts/profile/")
    page.select_option("select[name=home_neighborhood]", str(new_home.pk))
    page.get_by_role("button", name="ذخیره", exact=True).click()
    expect(page.locator(".messages")).to_be_visible()
    citizen.refresh_from_db()
    assert citizen.home_neighborhood_id == new_home.pk

    # The new district's round of the same cycle refuses a second ballot, before anything is chosen.
    page.goto(second_round.get_absolute_url())
    ballot = page.locator("#ballot-heading").locator("..")
    expect(ballot).to_contain_text("در این چرخهٔ بودجه‌ریزی پیش‌تر رأی داده‌اید")
    expect(ballot.get_by_role("button", name="ثبت رأی", exact=True)).to_have_count(0)
    assert list(Ballot.objects.filter(voter=citizen).values_list("round_id", "district_id")) == [
        (first_round.pk, first.pk)
    ]
    # The support still counts where it was cast.
    assert list(Support.objects.filter(user=citizen).values_list("project_id", "district_id")) == [(park.pk, first.pk)]
