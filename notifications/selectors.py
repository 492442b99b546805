"""Reads shared by the services, pages and API: preferences, unread counts and followers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value

from notifications.events import Channel, Event, user_events
from notifications.models import DigestFrequency, Notification, NotificationSettings, Preference, Subscription


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


# --- follows ----------------------------------------------------------------------------
def subscribers_of(targets: Iterable[Model | QuerySet]) -> QuerySet:
    """Active users who follow any of ``targets``, each once, in one query however many there are.

    ``targets`` holds objects and querysets of objects (the organisations a
    meeting is for, say); they may be of several kinds.
    """
    ids: dict[type[Model], set] = defaultdict(set)
    subqueries: list[QuerySet] = []
    for target in targets:
        if isinstance(target, QuerySet):
            subqueries.append(target)
        elif target is not None:
            ids[target._meta.concrete_model].add(target.pk)
    User = get_user_model()  # noqa: N806 - a model class
    condition = Q()
    for model, pks in ids.items():
        condition |= _kind_q(model) & Q(target_id__in=sorted(pks))
    for queryset in subqueries:
        condition |= _kind_q(queryset.model) & Q(target_id__in=queryset.order_by().values("pk"))
    if not condition:
        return User.objects.none()
    followers = Subscription.objects.filter(condition).values("user_id")
    return User.objects.filter(is_active=True, pk__in=followers)


def _kind_q(model: type[Model]) -> Q:
    meta = model._meta.concrete_model._meta
    return Q(target_type__app_label=meta.app_label, target_type__model=meta.model_name)


def is_subscribed_to_id(*, user, model: type[Model], pk) -> bool:
    """Whether ``user`` follows the ``model`` row with this id (found or not): one query."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Subscription.objects.of_model(model).filter(user_id=user.pk, target_id=pk).exists()


def follows_expression(user, model: type[Model], outer: str = "pk"):
    """An annotation: does ``user`` follow the row (``Exists`` in the same query; False for visitors)."""
    if not getattr(user, "is_authenticated", False):
        return Value(False)
    return Exists(Subscription.objects.of_model(model).filter(user_id=user.pk, target_id=OuterRef(outer)))
