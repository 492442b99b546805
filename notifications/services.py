"""Writes on notifications: the outbox entry point ``notify`` and the user's own changes.

``notify`` is what every other app calls, inside its own service's
transaction; it writes rows and publishes nothing until that transaction
commits.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from notifications.events import ALL_CHANNELS, EVENTS, Channel, Event, get_event
from notifications.models import DigestFrequency, Notification, NotificationSettings, Preference, Status
from notifications.selectors import digest_modes, enabled_channels
from notifications.tasks import publish

BATCH = 500


@transaction.atomic
def notify(
    *,
    event: str,
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
        raise ValueError(f"{event!r} is not an event services may raise.")
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


def notify_followers(
    *,
    event: str,
    followers: Iterable[User],
    target: models.Model,
    context: Mapping[str, Any] | None = None,
    url: str | None = None,
    actor: User | None = None,
) -> list[Notification]:
    """``notify`` for the followers of an object; pass a queryset and it is read in batches.

    The projects app passes its followers, e.g.
    ``User.objects.filter(follows__project=project)`` (see docs/notifications.md).
    """
    return notify(event=event, recipients=followers, target=target, context=context, url=url, actor=actor)


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
            if channel not in chosen[user.pk]:
                continue
            if (channel == Channel.EMAIL and not user.email) or (channel == Channel.SMS and not user.phone):
                continue
            status = Status.PENDING
            if channel == Channel.IN_APP:
                status = Status.SENT
            elif channel == Channel.EMAIL and wants_digest:
                status = Status.HELD
            rows.append(
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
    if dedupe_key is None:
        return Notification.objects.bulk_create(rows)
    Notification.objects.bulk_create(rows, ignore_conflicts=True)
    # Rows from an earlier call keep their own created_at: only this call's are returned.
    return list(Notification.objects.filter(dedupe_key=dedupe_key, recipient_id__in=ids, created_at=now))


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
