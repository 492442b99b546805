"""Writes on notifications: the outbox entry point ``notify``, follows, and the user's own changes.

``notify`` is what every other app calls, inside its own service's
transaction; it writes rows and publishes nothing until that transaction
commits. ``notify_subscribers`` does the same for the followers of the
objects a happening touches, each person once.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, TypeAlias

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from core.text import clean_instance
from notifications.events import ALL_CHANNELS, EVENTS, Channel, Event, get_event
from notifications.models import DigestFrequency, Notification, NotificationSettings, Preference, Status, Subscription
from notifications.permissions import can_unfollow, follow_denial_reason
from notifications.selectors import digest_modes, enabled_channels, is_subscribed_to_id, subscribers_of
from notifications.subscriptions import kind_of
from notifications.tasks import publish

BATCH = 500


@transaction.atomic
def notify(
    *,
    event: Event | str,
    recipients: Iterable[User],
    target: models.Model | None = None,
    context: Mapping[str, Any] | None = None,
    url: str | None = None,
    actor: User | None = None,
    dedupe_key: str | None = None,
) -> list[Notification]:
    """Record one event for its recipients in the caller's transaction (the outbox).

    One row per recipient per channel they receive the event on; email and
    SMS are delivered by a Celery task after the commit, the in-app row is
    the message itself. ``actor`` is left out of the recipients (nobody is
    told about their own action). ``dedupe_key`` makes a repeated call (a
    daily reminder job run twice) write nothing new.
    """
    spec = get_event(event)
    if not spec.user_facing:
        raise ValueError(f"{spec.key!r} is not an event services may raise.")
    with translation.override(settings.LANGUAGE_CODE):
        subject, body = spec.render(context or {})
    link = url if url is not None else _url_of(target)
    if link and (not link.startswith("/") or link.startswith("//")):
        raise ValueError(f"A notification links to a page of the portal, not {link!r}.")
    about = {
        "target_type": ContentType.objects.get_for_model(target) if target is not None else None,
        "target_id": target.pk if target is not None else None,
        "target_repr": str(target)[:200] if target is not None else "",
    }
    written: list[Notification] = []
    for chunk in _chunks(_recipients(recipients, actor)):
        written += _write(spec, chunk, subject=subject, body=body, url=link, about=about, dedupe_key=dedupe_key)
    publish([row.pk for row in written if row.status == Status.PENDING])
    return written


def receives_on(user: User, channel: str, chosen: Mapping[int, set[str]]) -> bool:
    """Whether ``notify`` writes ``user`` a row on ``channel``: they chose it and have its address."""
    if channel not in chosen[user.pk]:
        return False
    return not ((channel == Channel.EMAIL and not user.email) or (channel == Channel.SMS and not user.phone))


def count_recipients(
    *, event: Event | str, recipients: Iterable[User], channel: str, actor: User | None = None
) -> tuple[int, int]:
    """``(people, people on channel)`` that ``notify`` would write for, by the rule it writes with.

    For a decision before sending (an announcement's SMS costs money): reads
    the recipients and their preferences in batches, writes nothing.
    """
    spec = get_event(event)
    if isinstance(recipients, models.QuerySet):
        recipients = recipients.only("pk", "email", "phone", "is_active")
    people = on_channel = 0
    for chunk in _chunks(_recipients(recipients, actor)):
        chosen = enabled_channels([user.pk for user in chunk], spec)
        people += len(chunk)
        on_channel += sum(receives_on(user, channel, chosen) for user in chunk)
    return people, on_channel


# What to tell the followers of which objects: an event and the objects (instances or querysets).
Tier: TypeAlias = tuple[Event | str, Iterable[models.Model] | models.QuerySet]


def notify_subscribers(
    *,
    tiers: Sequence[Tier],
    target: models.Model | None = None,
    context: Mapping[str, Any] | None = None,
    url: str | None = None,
    actor: User | None = None,
    exclude: Iterable[User] | models.QuerySet = (),
) -> list[Notification]:
    """Tell the followers of what a happening touches, each person once, in the caller's transaction.

    ``tiers`` go from the most to the least specific: an official update tells
    the project's followers ``project_update_posted`` and then the followers of
    its neighbourhoods and district ``place_project_update_posted``; someone
    who follows both hears only the first. ``exclude`` leaves out people the
    service has already told otherwise (the author of an accepted idea, the
    managers invited to a meeting); the actor is left out as by ``notify``.
    Each tier costs a fixed number of queries, however many followers.
    """
    excluded = _user_ids(exclude)
    earlier: list = []
    written: list[Notification] = []
    for event, targets in tiers:
        targets = [targets] if isinstance(targets, models.QuerySet) else list(targets)
        recipients = subscribers_of(targets)
        if earlier:
            recipients = recipients.exclude(pk__in=subscribers_of(earlier).values("pk"))
        if excluded is not None:
            recipients = recipients.exclude(pk__in=excluded)
        written += notify(event=event, recipients=recipients, target=target, context=context, url=url, actor=actor)
        earlier += targets
    return written


def _user_ids(users: Iterable[User] | models.QuerySet):
    """Users to leave out, as a subquery or a list of ids; None when nobody."""
    if isinstance(users, models.QuerySet):
        return users.values("pk")
    ids = [user.pk for user in users if user is not None]
    return ids or None


def _url_of(target: models.Model | None) -> str:
    get_url = getattr(target, "get_absolute_url", None)
    return get_url() if callable(get_url) else ""


def _recipients(recipients: Iterable[User], actor: User | None) -> Iterator[User]:
    """Active users, each once, without the actor."""
    if isinstance(recipients, models.QuerySet):
        recipients = recipients.filter(is_active=True).order_by("pk").iterator(chunk_size=BATCH)
    seen: set[int] = set()
    actor_id = actor.pk if actor is not None else None
    for user in recipients:
        if user is None or user.pk in seen or user.pk == actor_id or not user.is_active:
            continue
        seen.add(user.pk)
        yield user


def _chunks(users: Iterator[User]) -> Iterator[list[User]]:
    while chunk := list(itertools.islice(users, BATCH)):
        yield chunk


def _write(
    spec: Event, users: list[User], *, subject: str, body: str, url: str, about: dict, dedupe_key: str | None
) -> list[Notification]:
    ids = [user.pk for user in users]
    chosen = enabled_channels(ids, spec)
    digests = digest_modes(ids) if spec.digestible else {}
    now = timezone.now()
    sms_text = f"{subject}\n{settings.SITE_URL.rstrip('/')}{url}" if url.startswith("/") else subject
    rows = []
    for user in users:
        wants_digest = digests.get(user.pk, DigestFrequency.IMMEDIATE) != DigestFrequency.IMMEDIATE
        for channel in ALL_CHANNELS:
            if not receives_on(user, channel, chosen):
                continue
            status = Status.PENDING
            if channel == Channel.IN_APP:
                status = Status.SENT
            elif channel == Channel.EMAIL and wants_digest:
                status = Status.HELD
            # Rows go in with bulk_create, which sends no pre_save: clean them as every other write is.
            rows.append(
                clean_instance(
                    Notification(
                        recipient=user,
                        event=spec.key,
                        channel=channel,
                        subject=subject,
                        body=sms_text if channel == Channel.SMS else body,
                        url=url,
                        status=status,
                        sent_at=now if status == Status.SENT else None,
                        created_at=now,
                        next_attempt_at=now,
                        dedupe_key=dedupe_key,
                        **about,
                    )
                )
            )
    if dedupe_key is None:
        return Notification.objects.bulk_create(rows)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # Rows from an earlier call keep their own created_at: only this call's are returned.
    return list(Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=ids, created_at=now))


# --- follows ----------------------------------------------------------------------------
def _follow_key(target: models.Model) -> dict:
    if kind_of(target) is None:
        raise ValidationError(_("This cannot be followed."), code="not_followable")
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": target.pk}


@transaction.atomic
def subscribe(*, user: User, target: models.Model) -> bool:
    """Start following ``target``; True when a new follow was recorded, False when it already was.

    The database's unique constraint decides between two racing requests.
    """
    key = _follow_key(target)
    reason = follow_denial_reason(user, target)
    if reason is not None:
        raise PermissionDenied(reason)
    try:
        with transaction.atomic():
            Subscription.objects.create(user=user, **key)
    except IntegrityError:
        return False
    return True


@transaction.atomic
def unsubscribe(*, user: User, target: models.Model) -> bool:
    """Stop following ``target``; True when a follow was removed."""
    key = _follow_key(target)
    if not can_unfollow(user):
        raise PermissionDenied(_("Sign in to follow."))
    deleted, _count = Subscription.objects.filter(user=user, **key).delete()
    return bool(deleted)


def is_subscribed(*, user: User, target: models.Model) -> bool:
    """Whether ``user`` follows ``target``: one query when signed in, none otherwise."""
    if kind_of(target) is None:
        return False
    return is_subscribed_to_id(user=user, model=type(target), pk=target.pk)


# --- the user's own changes ------------------------------------------------------------
@transaction.atomic
def notification_mark_read(*, user: User, notification: Notification) -> Notification:
    """Mark one inbox entry read; only its recipient may."""
    if notification.recipient_id != user.pk or notification.channel != Channel.IN_APP:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Clear the unread badge: every unread inbox entry of the user becomes read."""
    return Notification.objects.inbox(user).unread().update(read_at=timezone.now())


@transaction.atomic
def preferences_update(*, user: User, choices: Mapping[str, Mapping[str, bool]], digest: str | None = None) -> None:
    """Save the user's channel choices (only what differs from the defaults) and summary frequency."""
    errors = {}
    for event_key, channels in choices.items():
        spec = EVENTS.get(event_key)
        if spec is None or not spec.user_facing:
            errors.setdefault("events", []).append(_("Unknown event: %(event)s") % {"event": event_key})
            continue
        for channel in channels:
            if channel not in spec.channels:
                errors.setdefault("events", []).append(
                    _("%(event)s cannot be sent by %(channel)s.") % {"event": spec.label, "channel": channel}
                )
    if digest is not None and digest not in DigestFrequency.values:
        errors["digest"] = [_("Choose one of the offered summary options.")]
    if errors:
        raise ValidationError(errors)
    for event_key, channels in choices.items():
        for channel, enabled in channels.items():
            _set_preference(user_id=user.pk, spec=EVENTS[event_key], channel=channel, enabled=bool(enabled))
    if digest is not None:
        _set_digest(user=user, digest=digest)


@transaction.atomic
def preference_unsubscribe(*, user_id: int, event: str, channel: str) -> None:
    """Turn one event off on one channel (the unsubscribe link); nothing else changes."""
    _set_preference(user_id=user_id, spec=get_event(event), channel=channel, enabled=False)


def _set_preference(*, user_id: int, spec: Event, channel: str, enabled: bool) -> None:
    if enabled == (channel in spec.defaults):
        Preference.objects.filter(user_id=user_id, event=spec.key, channel=channel).delete()
    else:
        Preference.objects.update_or_create(
            user_id=user_id, event=spec.key, channel=channel, defaults={"enabled": enabled}
        )


def _set_digest(*, user: User, digest: str) -> None:
    current, _created = NotificationSettings.objects.select_for_update().get_or_create(user=user)
    if current.digest == digest:
        return
    current.digest = digest
    current.save(update_fields=["digest"])
    if digest == DigestFrequency.IMMEDIATE:
        # Emails waiting for a summary go out now instead of waiting for one that will not come.
        held = Notification.objects.filter(recipient=user, channel=Channel.EMAIL, status=Status.HELD)
        ids = list(held.values_list("pk", flat=True))
        held.update(status=Status.PENDING, next_attempt_at=timezone.now())
        publish(ids)


# --- staff ------------------------------------------------------------------------------
@transaction.atomic
def notifications_retry(*, notifications: models.QuerySet[Notification]) -> int:
    """Give failed rows a fresh set of attempts (after fixing a gateway, say)."""
    ids = list(notifications.filter(status=Status.FAILED).values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).update(
        status=Status.PENDING, attempts=0, last_error="", next_attempt_at=timezone.now()
    )
    publish(ids)
    return len(ids)
