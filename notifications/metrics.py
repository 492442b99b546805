"""The outbox backlog for /metrics, read from the table at scrape time (registered in ``NotificationsConfig.ready``).

A count kept in memory would drift from the table (rows written in a
transaction that rolls back, rows sent by a worker on another host); one
aggregate query per scrape over the pending rows (a partial index) is exact
and costs nothing between scrapes.
"""

from __future__ import annotations

import logging

from django.db import DatabaseError
from django.db.models import Count, Min
from django.utils import timezone
from prometheus_client.core import GaugeMetricFamily

from notifications.models import Notification, Status

logger = logging.getLogger(__name__)


class OutboxCollector:
    """Pending notifications and how long the oldest has waited."""

    def collect(self):
        try:
            backlog = Notification.objects.filter(status=Status.PENDING).aggregate(
                pending=Count("id"), oldest=Min("created_at")
            )
        except DatabaseError as exc:
            logger.warning("Outbox metrics unavailable: %s", exc)
            return
        oldest = backlog["oldest"]
        age = max(0.0, (timezone.now() - oldest).total_seconds()) if oldest is not None else 0.0
        yield GaugeMetricFamily(
            "civic_notifications_pending", "Notifications waiting to be sent (outbox rows pending).", backlog["pending"]
        )
        yield GaugeMetricFamily(
            "civic_notifications_oldest_pending_age_seconds",
            "Seconds since the oldest pending notification was written; 0 when none is pending.",
            age,
        )
