"""Reads shared by the services, pages and API: preferences and unread counts."""

from __future__ import annotations

from collections.abc import Collection

from notifications.events import Channel, Event, user_events
from notifications.models import DigestFrequency, Notification, NotificationSettings, Preference


def enabled_channels(user_ids: Collection[int], event: Event) -> dict[int, set[str]]:
    """Channels each user receives ``event`` on: the event's defaults, changed by their preferences."""
    chosen = {user_id: set(event.defaults) for user_id in user_ids}
    overrides = Preference.objects.filter(user_id__in=user_ids, event=event.key).values_list(
        "user_id", "channel", "enabled"
    )
    for user_id, channel, enabled in overrides:
        if channel not in event.channels:
            continue
        if enabled:
            chosen[user_id].add(channel)
        else:
            chosen[user_id].discard(channel)
    return chosen


def digest_modes(user_ids: Collection[int]) -> dict[int, str]:
    """Summary frequency per user; users with no settings row get their email right away."""
    modes = dict(NotificationSettings.objects.filter(user_id__in=user_ids).values_list("user_id", "digest"))
    return {user_id: modes.get(user_id, DigestFrequency.IMMEDIATE) for user_id in user_ids}


def preferences_of(user) -> dict[str, dict[str, bool]]:
    """Every user-facing event with each channel it offers and whether it is on."""
    overrides = {
        (event, channel): enabled
        for event, channel, enabled in Preference.objects.filter(user_id=user.pk).values_list(
            "event", "channel", "enabled"
        )
    }
    return {
        event.key: {
            channel: overrides.get((event.key, channel), channel in event.defaults)
            for channel in Channel.values
            if channel in event.channels
        }
        for event in user_events()
    }


def digest_of(user) -> str:
    return (
        NotificationSettings.objects.filter(user_id=user.pk).values_list("digest", flat=True).first()
        or DigestFrequency.IMMEDIATE
    )


def unread_count(user) -> int:
    """One indexed COUNT: the badge in the header of every page."""
    return Notification.objects.inbox(user).unread().order_by().count()
