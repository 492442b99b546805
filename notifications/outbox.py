"""Publishing outbox rows to Celery, always after the commit that wrote them."""

from __future__ import annotations

from collections.abc import Iterable

from civic_portal.tasks import enqueue_on_commit


def publish(notification_ids: Iterable[int]) -> None:
    """Deliver these rows once the current transaction commits (the sweep covers a lost publish)."""
    # Imported here: the task module imports the services that call this.
    from notifications.tasks import deliver_notification

    for notification_id in notification_ids:
        enqueue_on_commit(deliver_notification, notification_id)
