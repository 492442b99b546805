"""Staff announcements: who may send where, each person once, the SMS approval, the limit, the pages."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from core.jalali import jalali_date_string
from core.models import AuditEntry
from neighborhoods.models import Announcement, AnnouncementStatus
from neighborhoods.services import announcement_approve, announcement_create, announcement_reject
from neighborhoods.tasks import fan_out
from notifications.events import Channel
from notifications.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db
EVENT = "staff_announcement"


@pytest.fixture
def send(django_capture_on_commit_callbacks, eager_tasks):
    """Call a service and run what it left for after the commit (the fan-out task, the deliveries), in process."""

    def _call(service, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return service(**kwargs)

    return _call


def announce(actor, place, *, audience="both", title="قطعی آب پنجشنبه", **kwargs):
    target = {"neighborhood": place} if place.__class__.__name__ == "Neighborhood" else {"district": place}
    return announcement_create(actor=actor, audience=audience, title=title, body="آب قطع است.", **target, **kwargs)


def rows_of(announcement, channel=Channel.IN_APP):
    return Notification.objects.filter(dedupe_key=f"announcement:{announcement.pk}", channel=channel)


def sms_wanted(user):
    factories.PreferenceFactory(user=user, event=EVENT, channel=Channel.SMS, enabled=True)
    return user


def threshold(city, value):
    factories.CityParticipationSettingsFactory(city=city, announcement_sms_approval_threshold=value)


# --- who may announce where ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("city_admin", True), ("district_staff", True), ("other_district_staff", False), ("citizen", False)],
)
def test_who_may_announce_to_a_neighbourhood(request, persona, allowed, neighborhood):
    actor = request.getfixturevalue(persona)
    if allowed:
        assert announce(actor, neighborhood).status == AnnouncementStatus.SENT
    else:
        with pytest.raises(PermissionDenied, match="فقط در مناطقی"):
            announce(actor, neighborhood)
        assert not Announcement.objects.exists()


@pytest.mark.parametrize(
    ("persona", "allowed"),
    [("city_admin", True), ("district_staff", False), ("other_district_staff", False), ("citizen", False)],
)
@pytest.mark.parametrize("decision", ["approve", "reject"])
def test_only_a_system_administrator_decides_on_a_held_announcement(
    request, persona, allowed, decision, district_staff, neighborhood, citizen
):
    threshold(neighborhood.district.city, 0)
    sms_wanted(citizen)
    held = announce(district_staff, neighborhood)
    assert held.status == AnnouncementStatus.AWAITING_APPROVAL
    actor = request.getfixturevalue(persona)
    decide = (
        (lambda: announcement_approve(actor=actor, announcement=held))
        if decision == "approve"
        else (lambda: announcement_reject(actor=actor, announcement=held, note="هزینهٔ پیامک زیاد است"))
    )
    if allowed:
        decide()
        held.refresh_from_db()
        assert held.status == (AnnouncementStatus.SENT if decision == "approve" else AnnouncementStatus.REJECTED)
        action = "announcement.approved" if decision == "approve" else "announcement.rejected"
        assert AuditEntry.objects.filter(action=action, target_id=held.pk, actor=actor).exists()
    else:
        with pytest.raises(PermissionDenied, match="مدیر سامانه"):
            decide()
        held.refresh_from_db()
        assert held.status == AnnouncementStatus.AWAITING_APPROVAL


# --- each person once ------------------------------------------------------------------------
def test_a_follower_of_both_places_who_also_lives_there_hears_once(send, district_staff, neighborhood, citizen):
    district = neighborhood.district
    factories.SubscriptionFactory(user=citizen, target=neighborhood)
    factories.SubscriptionFactory(user=citizen, target=district)
    follower = factories.UserFactory()
    factories.SubscriptionFactory(user=follower, target=district)
    elsewhere = factories.UserFactory(home_neighborhood=factories.NeighborhoodFactory())
    factories.SubscriptionFactory(user=district_staff, target=neighborhood)  # the author hears nothing of their own

    announcement = send(announce, actor=district_staff, place=neighborhood)

    assert sorted(rows_of(announcement).values_list("recipient_id", flat=True)) == sorted([citizen.pk, follower.pk])
    assert not rows_of(announcement).filter(recipient=elsewhere).exists()
    inbox = Notification.objects.inbox(citizen).get()
    assert inbox.subject == f"اطلاعیه برای {neighborhood.name}: قطعی آب پنجشنبه"
    assert inbox.url == f"/neighborhoods/{neighborhood.pk}/#announcement-{announcement.pk}"
    announcement.refresh_from_db()
    assert announcement.delivered_at is not None
    assert announcement.recipient_count == 2


def test_a_district_announcement_reaches_followers_of_its_neighbourhoods_and_its_residents(
    send, district_staff, neighborhood, citizen
):
    follower = factories.UserFactory()
    factories.SubscriptionFactory(user=follower, target=neighborhood)
    factories.SubscriptionFactory(user=citizen, target=neighborhood.district)

    followers_only = send(announce, actor=district_staff, place=neighborhood.district, audience="followers")
    residents_only = send(announce, actor=district_staff, place=neighborhood.district, audience="residents")

    assert set(rows_of(followers_only).values_list("recipient_id", flat=True)) == {citizen.pk, follower.pk}
    assert set(rows_of(residents_only).values_list("recipient_id", flat=True)) == {citizen.pk}


def test_the_fan_out_writes_an_announcements_rows_once_however_often_it_runs(send, district_staff, neighborhood):
    people = [factories.UserFactory(home_neighborhood=neighborhood, email=f"p{i}@example.org") for i in range(3)]
    announcement = send(announce, actor=district_staff, place=neighborhood, audience="residents")
    written = Notification.objects.filter(dedupe_key=f"announcement:{announcement.pk}").count()
    assert written == 2 * len(people)  # in the portal and by email, each person once

    assert fan_out(announcement.pk) == 0
    Announcement.objects.filter(pk=announcement.pk).update(delivered_at=None)  # even without the marker
    fan_out(announcement.pk)
    assert Notification.objects.filter(dedupe_key=f"announcement:{announcement.pk}").count() == written


# --- the SMS approval ---------------------------------------------------------------------------
def test_more_sms_than_the_city_allows_waits_for_approval_and_writes_nothing(
    send, district_staff, neighborhood, citizen
):
    threshold(neighborhood.district.city, 1)
    sms_wanted(citizen)
    sms_wanted(factories.UserFactory(home_neighborhood=neighborhood))
    factories.UserFactory(home_neighborhood=neighborhood)  # no SMS: not counted

    held = send(announce, actor=district_staff, place=neighborhood)

    assert held.status == AnnouncementStatus.AWAITING_APPROVAL
    assert held.get_status_display() == "در انتظار تأیید مدیر سامانه"
    assert (held.recipient_count, held.sms_count) == (3, 2)
    assert not Notification.objects.filter(dedupe_key__startswith="announcement:").exists()


def test_at_the_threshold_it_is_sent_on_save(send, district_staff, neighborhood, citizen, sms_files):
    threshold(neighborhood.district.city, 1)
    sms_wanted(citizen)
    announcement = send(announce, actor=district_staff, place=neighborhood)
    assert announcement.status == AnnouncementStatus.SENT
    assert rows_of(announcement, Channel.SMS).get().recipient_id == citizen.pk
    assert len(sms_files.to(citizen.phone)) == 1


def test_approval_sends_and_rejection_sends_nothing(send, district_staff, city_admin, neighborhood, citizen, sms_files):
    threshold(neighborhood.district.city, 0)
    sms_wanted(citizen)
    approved = send(announce, actor=district_staff, place=neighborhood, title="الف")
    rejected = send(announce, actor=district_staff, place=neighborhood, title="ب")
    assert not Notification.objects.filter(recipient=citizen).exists()

    send(announcement_approve, actor=city_admin, announcement=approved)
    send(announcement_reject, actor=city_admin, announcement=rejected, note="پرهزینه")

    assert rows_of(approved, Channel.SMS).count() == 1
    assert not Notification.objects.filter(dedupe_key=f"announcement:{rejected.pk}").exists()
    assert len(sms_files.to(citizen.phone)) == 1
    with pytest.raises(ValidationError, match="در انتظار تأیید نیست"):
        announcement_approve(actor=city_admin, announcement=rejected)


# --- the limit ----------------------------------------------------------------------------------
def test_a_staff_member_is_limited_to_a_few_announcements_an_hour(settings, district_staff, neighborhood):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "staff_announcement": (2, 3600)}
    announce(district_staff, neighborhood)
    announce(district_staff, neighborhood)
    with pytest.raises(ValidationError) as refused:
        announce(district_staff, neighborhood)
    assert refused.value.messages == ["در هر ساعت حداکثر ۲ اطلاعیه می‌توانید بفرستید. لطفاً بعداً دوباره تلاش کنید."]
    assert Announcement.objects.count() == 2


# --- the pages ----------------------------------------------------------------------------------
def _page_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_the_neighbourhood_page_shows_sent_announcements_with_jalali_dates_in_fixed_queries(
    client, district_staff, neighborhood, django_assert_max_num_queries
):
    own = announce(district_staff, neighborhood, title="قطعی آب پنجشنبه")
    _html, few = _page_queries(client, f"/neighborhoods/{neighborhood.pk}/")
    district_wide = announce(district_staff, neighborhood.district, title="جلسهٔ هم‌اندیشی منطقه")
    threshold(neighborhood.district.city, 0)
    sms_wanted(factories.UserFactory(home_neighborhood=neighborhood))
    held = announce(district_staff, neighborhood, title="اطلاعیهٔ در انتظار")
    other = announce(district_staff, factories.NeighborhoodFactory(area=neighborhood.area), title="محلهٔ دیگر")

    with django_assert_max_num_queries(few):
        html, _many = _page_queries(client, f"/neighborhoods/{neighborhood.pk}/")

    assert f'id="announcement-{own.pk}"' in html and f'id="announcement-{district_wide.pk}"' in html
    assert f"تاریخ انتشار: {jalali_date_string(own.published_at)}" in html
    assert "برای کل منطقه" in html
    assert held.title not in html and other.title not in html

    district_html, _n = _page_queries(client, f"/districts/{neighborhood.district_id}/")
    assert district_wide.title in district_html and own.title not in district_html


# --- the admin ----------------------------------------------------------------------------------
ADD = "/admin/neighborhoods/announcement/add/"


def test_district_staff_announce_from_the_admin_only_in_their_districts(
    client_for, district_staff, neighborhood, other_district
):
    client = client_for(district_staff)
    page = client.get(ADD).content.decode()
    assert "مخاطبان" in page and "دنبال‌کنندگان و ساکنان" in page
    outside = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    data = {"audience": "residents", "title": "اطلاعیه", "body": "متن"}

    refused = client.post(ADD, {**data, "neighborhood": outside.pk})
    assert refused.status_code == 200 and not Announcement.objects.exists()
    assert "errorlist" in refused.content.decode()

    client.post(ADD, {**data, "neighborhood": neighborhood.pk})
    assert Announcement.objects.get().district == neighborhood.district


def test_the_admin_add_form_shows_the_limit_as_a_persian_error(settings, client_for, district_staff, neighborhood):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "staff_announcement": (1, 3600)}
    client = client_for(district_staff)
    data = {"audience": "residents", "title": "اطلاعیه", "body": "متن", "district": neighborhood.district_id}
    client.post(ADD, data)
    again = client.post(ADD, data)
    assert again.status_code == 200
    assert "در هر ساعت حداکثر ۱ اطلاعیه" in again.content.decode()
    assert Announcement.objects.count() == 1


def test_the_last_slot_taken_by_another_tab_after_the_form_check_keeps_the_text_and_says_why(
    settings, monkeypatch, client_for, district_staff, neighborhood
):
    """Two tabs at the limit: the form's check passes in both, the service refuses the second save."""
    from core import ratelimit
    from neighborhoods.admin import announcements as admin_module

    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "staff_announcement": (1, 3600)}
    checked = admin_module.check_announcement

    def check_then_the_other_tab_sends(**kwargs):
        checked(**kwargs)
        ratelimit.hit("staff_announcement", f"user:{district_staff.pk}")

    monkeypatch.setattr(admin_module, "check_announcement", check_then_the_other_tab_sends)
    data = {"audience": "residents", "title": "قطعی آب", "body": "متن اطلاعیه", "district": neighborhood.district_id}
    response = client_for(district_staff).post(ADD, data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "در هر ساعت حداکثر ۱ اطلاعیه" in html
    assert "قطعی آب" in html and "متن اطلاعیه" in html
    assert not Announcement.objects.exists()


def test_a_city_admin_approves_from_the_change_page_and_district_staff_cannot(
    client_for, district_staff, city_admin, neighborhood, citizen, django_capture_on_commit_callbacks, eager_tasks
):
    threshold(neighborhood.district.city, 0)
    sms_wanted(citizen)
    held = announce(district_staff, neighborhood)
    change = f"/admin/neighborhoods/announcement/{held.pk}/change/"
    decide = f"/admin/neighborhoods/announcement/{held.pk}/decide/"

    staff_client = client_for(district_staff)
    assert "تأیید و ارسال" not in staff_client.get(change).content.decode()
    assert staff_client.post(decide + "approve/").status_code == 403

    admin_client = client_for(city_admin)
    assert "تأیید و ارسال" in admin_client.get(change).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert admin_client.post(decide + "approve/").status_code == 302
    held.refresh_from_db()
    assert held.status == AnnouncementStatus.SENT and held.decided_by == city_admin
    assert rows_of(held).filter(recipient=citizen).exists()


def test_a_rejection_needs_a_reason(client_for, district_staff, city_admin, neighborhood, citizen):
    threshold(neighborhood.district.city, 0)
    sms_wanted(citizen)
    held = announce(district_staff, neighborhood)
    client = client_for(city_admin)
    decide = f"/admin/neighborhoods/announcement/{held.pk}/decide/reject/"
    page = client.post(decide, follow=True).content.decode()
    assert "لطفاً دلیل رد اطلاعیه را بنویسید." in page
    client.post(decide, {"decision_note": "هزینهٔ پیامک زیاد است"})
    held.refresh_from_db()
    assert (held.status, held.decision_note) == (AnnouncementStatus.REJECTED, "هزینهٔ پیامک زیاد است")
