"""An announcement through the real Celery worker on the real Redis: the fan-out and the SMS, each person once.

Skipped when REDIS_URL is unset or the test database lives in this process's memory (see
tests/notifications/test_worker.py).
"""

from __future__ import annotations

import time

import pytest

from neighborhoods.models import Announcement
from neighborhoods.services import announcement_create
from neighborhoods.tasks import send_announcement
from notifications.events import Channel
from notifications.models import Notification, Status
from tests import factories
from tests.notifications.test_worker import shareable_database, wait_until

pytestmark = pytest.mark.integration


def test_the_real_worker_writes_and_sends_an_announcement_once(celery_worker_process, settings, sms_files):
    shareable_database()
    settings.NOTIFICATIONS_QUEUE = celery_worker_process
    district = factories.DistrictFactory()
    place = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    staff = factories.StaffFactory(districts=[district])
    resident = factories.UserFactory(home_neighborhood=place)
    factories.SubscriptionFactory(user=resident, target=place)
    factories.SubscriptionFactory(user=resident, target=district)
    factories.PreferenceFactory(user=resident, event="staff_announcement", channel=Channel.SMS, enabled=True)

    announcement = announcement_create(actor=staff, neighborhood=place, audience="both", title="قطعی آب", body="متن")

    rows = Notification.objects.filter(dedupe_key=f"announcement:{announcement.pk}")
    # The worker writes the rows, then delivers the SMS it queued for itself (its NOTIFICATIONS_QUEUE).
    assert wait_until(lambda: rows.filter(channel=Channel.SMS, status=Status.SENT).exists())
    assert len(sms_files.wait_for(resident.phone)) == 1
    # A stray second task finds the announcement delivered and writes nothing.
    send_announcement.apply_async(args=[announcement.pk])
    time.sleep(3)
    assert sorted(rows.values_list("recipient_id", "channel")) == [(resident.pk, "in_app"), (resident.pk, "sms")]
    assert Announcement.objects.get(pk=announcement.pk).delivered_at is not None
    assert len(sms_files.to(resident.phone)) == 1
