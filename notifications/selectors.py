"""Reads shared by the services, pages and API: preferences, unread counts and followers."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable

from django.contrib.auth import get_user_model
from django.db.models import Exists, Model, OuterRef, Q, QuerySet, Value

from accounts.personal_data import moments
from notifications.events import Channel, Event, user_events
from notifications.models import DigestFrequency, Notification, NotificationSettings, Preference, Subscription
from notifications.subscriptions import kind_of


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


# --- a citizen's own notifications and follows, for their export (accounts.personal_data) ------
def my_follows(user) -> list[dict]:
    """What the person follows: one query, plus one per kind of thing followed (a handful of kinds)."""
    follows = list(Subscription.objects.filter(user=user).select_related("target_type").order_by("created_at", "id"))
    ids_by_type: dict[int, set[int]] = defaultdict(set)
    for follow in follows:
        ids_by_type[follow.target_type_id].add(follow.target_id)
    targets: dict[tuple[int, int], Model] = {}
    for follow in {f.target_type_id: f for f in follows}.values():
        model = follow.target_type.model_class()
        if model is not None:
            for target in model._default_manager.filter(pk__in=ids_by_type[follow.target_type_id]):
                targets[(follow.target_type_id, target.pk)] = target
    rows = []
    for follow in follows:
        target = targets.get((follow.target_type_id, follow.target_id))
        kind = kind_of(target) if target is not None else None
        rows.append(
            {
                "kind": kind.name if kind is not None else follow.target_type.model,
                "id": follow.target_id,
                "title": str(target) if target is not None else None,
                "url": kind.url_of(target) if kind is not None else None,
                **moments(created_at=follow.created_at),
            }
        )
    return rows


def my_notifications(user) -> list[dict]:
    """Every message written to the person, on every channel, as it was sent (no delivery internals)."""
    rows = (
        Notification.objects.filter(recipient=user)
        .only("event", "channel", "subject", "body", "url", "status", "created_at", "sent_at", "read_at")
        .order_by("created_at", "id")
    )
    return [
        {
            "event": n.event,
            "event_display": n.get_event_display(),
            "channel": n.channel,
            "subject": n.subject,
            "text": n.body,
            "url": n.url,
            "status": n.status,
            **moments(created_at=n.created_at, sent_at=n.sent_at, read_at=n.read_at),
        }
        for n in rows.iterator(chunk_size=1000)
    ]


def my_notification_preferences(user) -> dict:
    """The person's summary-email choice and the events and channels they turned on or off."""
    digest = NotificationSettings.objects.filter(user=user).values_list("digest", flat=True).first()
    return {
        "summary_email": digest or DigestFrequency.IMMEDIATE,
        "choices": [
            {"event": p.event, "channel": p.channel, "enabled": p.enabled}
            for p in Preference.objects.filter(user=user).order_by("event", "channel")
        ],
    }
