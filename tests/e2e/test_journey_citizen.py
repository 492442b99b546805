"""A citizen's journey: find a project, sign up from it, take part, and hear back.

Only the setup (a district, a project, a staff member) comes from factories;
everything the citizen and the moderator do happens in Chromium.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from accounts.models import User
from core.persian import to_persian_digits
from notifications.models import Notification, Status
from projects.models import Comment, CommentStatus, Phase
from tests import factories
from tests.browser import sms_code
from tests.e2e.journeys import admin_action, sign_in, wait_until

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("fast_passwords")]

TITLE = "بازسازی پارک کودک یاس"  # stored with Persian ی and ک
TYPED = "بازسازي پارك كودك"  # what an Arabic keyboard types
UNDER_REVIEW = "در حال بررسی"
COMMENT = "لطفاً برای کودکان کم‌توان هم وسیله بازی بگذارید."


def test_citizen_signs_up_takes_part_and_is_notified(page, open_page, delivered_mail, settings):
    # The moderator does not undo here, so the author's notice need not wait its 30 s.
    settings.MODERATION_NOTICE_DELAY_SECONDS = 0
    district = factories.DistrictFactory(name="منطقه ۷")
    neighborhood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district), name="محله یاس")
    project = factories.ProjectFactory(
        title=TITLE, district=district, neighborhoods=[neighborhood], phase=Phase.PROPOSED, description="پارک محله"
    )
    factories.ProjectFactory(title="آسفالت خیابان بهار", district=district)
    staff = factories.StaffFactory(districts=[district], display_name="ناظر منطقه")

    # A visitor finds the project by its title typed with Arabic ي and ك.
    page.goto("/projects/")
    page.fill("input[name=search]", TYPED)
    page.get_by_role("button", name="نمایش پروژه‌ها").click()
    results = page.locator("#project-results")
    expect(results.get_by_role("link", name=TITLE)).to_be_visible()
    expect(results).not_to_contain_text("آسفالت خیابان بهار")
    # Typing also asks for results as-you-type: let every swap land before following a link in them.
    page.wait_for_load_state("networkidle")
    results.get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/$"))
    expect(page.locator("h1")).to_have_text(TITLE)

    # To comment they sign up, typing the mobile number in Persian digits, and come back to the project.
    page.get_by_role("link", name="برای نوشتن نظر وارد شوید.").click()
    page.get_by_role("link", name="یک حساب بسازید").click()
    page.fill("input[name=phone]", "۰۹۱۲۳۴۵۶۷۸۹")
    page.fill("input[name=display_name]", "مریم رضایی")
    page.fill("input[name=email]", "maryam@example.org")
    page.select_option("select[name=home_neighborhood]", str(neighborhood.pk))
    page.fill("input[name=password1]", "Yas-park-1404!")
    page.fill("input[name=password2]", "Yas-park-1404!")
    page.get_by_role("button", name="ساخت حساب").click()
    # The number is confirmed by SMS before the account exists; they type the code in Persian digits.
    expect(page).to_have_url(re.compile(r"/accounts/otp/verify/$"))
    expect(page.locator("main")).to_contain_text("۰۹۱۲***۶۷۸۹")
    assert not User.objects.filter(phone="+989123456789").exists()
    page.fill("input[name=code]", to_persian_digits(sms_code("09123456789")))
    page.get_by_role("button", name="تأیید", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/#comments$"))
    expect(page.locator(".messages")).to_contain_text("خوش آمدید! حساب شما ساخته شد.")
    expect(page.locator(".account-nav")).to_contain_text("مریم رضایی")
    citizen = User.objects.get(display_name="مریم رضایی")
    assert citizen.phone == "+989123456789" and citizen.mobile_verified

    # Comment: it waits for a moderator and only its author sees it.
    page.fill("#comments textarea[name=text]", COMMENT)
    page.get_by_role("button", name="ارسال نظر").click()
    comments = page.locator("#comments")
    expect(comments).to_contain_text("نظر شما پس از تأیید بازبین نمایش داده می‌شود.")
    mine = comments.locator("article.comment", has_text=COMMENT)
    expect(mine).to_contain_text("در انتظار بازبینی؛ فقط شما آن را می‌بینید")

    # Support and follow, both swapped in place by htmx.
    page.get_by_role("button", name="حمایت از این پروژه").click()
    expect(page.locator("#support")).to_contain_text("شما از این پروژه حمایت کرده‌اید.")
    expect(page.locator("#support .support-count")).to_contain_text("۱")
    page.get_by_role("button", name="دنبال کردن").click()
    expect(page.locator(".follow-form button")).to_have_text("لغو دنبال کردن")
    expect(page.locator(".follow-form .follow-state")).to_have_text("دنبال می‌کنید")

    # An anonymous visitor does not see the comment yet.
    visitor = open_page()
    visitor.goto(f"/projects/{project.pk}/")
    expect(visitor.locator("#comments h2")).to_be_visible()
    expect(visitor.locator("#comments")).not_to_contain_text(COMMENT)

    # A district moderator approves it in the admin's moderation queue, in another browser.
    moderator = open_page()
    sign_in(moderator, staff, "/admin/")
    admin_action(moderator, "/admin/projects/moderationqueueitem/", "کم‌توان", "تأیید نظرهای انتخاب‌شده")
    expect(moderator.locator(".messagelist")).to_contain_text(re.compile("[1۱] نظر تأیید شد"))
    assert Comment.objects.get(author=citizen).status == CommentStatus.PUBLISHED

    # ... and moves the project on: its followers hear about it.
    moderator.goto(f"/admin/projects/project/{project.pk}/change/")
    moderator.select_option("select[name=new_phase]", Phase.UNDER_REVIEW.value)
    moderator.locator("input[name=_save]").click()
    expect(moderator.locator(".messagelist")).to_contain_text(f'"{TITLE}" با موفقیت تغییر یافت.')

    # Everyone now reads the comment, without the moderation tag.
    visitor.reload()
    expect(visitor.locator("#comments")).to_contain_text(COMMENT)
    page.reload()
    mine = page.locator("#comments article.comment", has_text=COMMENT)
    expect(mine).to_be_visible()
    expect(mine).not_to_contain_text("در انتظار بازبینی")
    expect(page.locator(".project-tags .phase")).to_have_text(UNDER_REVIEW)

    # The inbox has both news, with the unread badge in the header.
    expect(page.locator(".inbox-link")).to_contain_text("۲")
    page.locator(".inbox-link").click()
    expect(page).to_have_url(re.compile(r"/notifications/$"))
    inbox = page.locator(".inbox-list")
    expect(inbox.locator(".inbox-item")).to_have_count(2)
    expect(inbox).to_contain_text("نظر شما منتشر شد")
    expect(inbox).to_contain_text(f"«{TITLE}» اکنون در مرحلهٔ «{UNDER_REVIEW}» است")
    # Marking one read updates the entry and the header badge in place.
    published = inbox.locator(".inbox-item", has_text="نظر شما منتشر شد")
    expect(published.locator(".tag")).to_have_text("تازه")
    published.get_by_role("button", name="علامت خوانده‌شده").click()
    expect(published.locator(".tag")).to_have_count(0)
    expect(page.locator("#unread-badge")).to_contain_text("۱")
    published.get_by_role("link", name="نظر شما منتشر شد").click()
    expect(page).to_have_url(re.compile(rf"/projects/{project.pk}/"))

    # The phase change also went out by email (a real Celery worker when REDIS_URL is set).
    assert wait_until(lambda: delivered_mail.to("maryam@example.org"), timeout=45)
    [message] = delivered_mail.to("maryam@example.org")
    assert TITLE in message["Subject"]
    email_row = Notification.objects.get(recipient=citizen, channel="email")
    assert wait_until(lambda: Notification.objects.get(pk=email_row.pk).status == Status.SENT)

    assert page.js_errors == [] and visitor.js_errors == [] and moderator.js_errors == []
