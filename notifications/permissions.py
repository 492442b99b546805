"""Who may see and change which notifications and follows.

Inbox entries belong to their recipient, the outbox to city admins; anyone
signed in may follow what they can see.
"""

from __future__ import annotations

from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from notifications.events import Channel
from notifications.models import Notification
from notifications.subscriptions import kind_of


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


# --- follows ----------------------------------------------------------------------------
def follow_denial_reason(user, target: Model) -> str | None:
    """Why ``user`` may not follow ``target``, or None: a signed-in, active person follows what they can see."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return _("Sign in to follow.")
    kind = kind_of(target)
    if kind is None or not kind.is_visible_to(user, target):
        return _("This cannot be followed.")
    return None


def can_follow(user, target: Model) -> bool:
    return follow_denial_reason(user, target) is None


def can_unfollow(user) -> bool:
    """Stopping is always allowed to the follower, even once the object is no longer public."""
    return bool(getattr(user, "is_authenticated", False))
