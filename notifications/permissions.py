"""Who may see and change which notifications: only their recipient, and the outbox only city admins."""

from __future__ import annotations

from django.db.models import QuerySet

from notifications.events import Channel
from notifications.models import Notification


def notifications_of(user) -> QuerySet[Notification]:
    """The inbox entries ``user`` may read and mark: their own in-app rows."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.inbox(user)


def can_read_notification(user, notification: Notification) -> bool:
    return bool(
        user.is_authenticated and notification.recipient_id == user.pk and notification.channel == Channel.IN_APP
    )


def can_manage_outbox(user) -> bool:
    """The outbox holds private messages of every user: city admins only."""
    return bool(user.is_authenticated and getattr(user, "is_city_admin", False))
