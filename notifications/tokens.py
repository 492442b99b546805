"""Unsubscribe tokens: one event on one channel for one user, no sign-in needed, and opaque.

A token is a random string looked up in ``UnsubscribeLink``; it reveals
neither the person nor the event (the links once carried readable signed
JSON). Links of that older kind, already sitting in inboxes, keep working for
``LEGACY_TOKEN_DAYS`` after they were written; after that they answer the
"link no longer valid" page, from which a person can sign in and change
their settings.
"""

from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from django.core import signing
from django.db import IntegrityError, transaction

from notifications.events import EVENTS, Channel
from notifications.models import UnsubscribeLink

SALT = "notifications.unsubscribe"
LEGACY_TOKEN_DAYS = 90


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    event: str
    channel: str


def make_token(*, user_id: int, event: str, channel: str) -> str:
    """The token of this person's link for ``event`` on ``channel`` (made on first use)."""
    link = UnsubscribeLink.objects.filter(user_id=user_id, event=event, channel=channel).first()
    if link is None:
        try:
            with transaction.atomic():
                link = UnsubscribeLink.objects.create(
                    user_id=user_id, event=event, channel=channel, token=secrets.token_urlsafe(32)
                )
        except IntegrityError:  # another email to the same person made it meanwhile
            link = UnsubscribeLink.objects.get(user_id=user_id, event=event, channel=channel)
    return link.token


def _legacy(token: str) -> tuple | None:
    try:
        data = signing.loads(token, salt=SALT, max_age=dt.timedelta(days=LEGACY_TOKEN_DAYS))
    except signing.BadSignature:  # also SignatureExpired
        return None
    if not isinstance(data, dict):
        return None
    return data.get("u"), data.get("e"), data.get("c")


def read_token(token: str) -> Unsubscribe | None:
    """The request a token carries, or None when it is unknown, expired or names nothing we know."""
    link = UnsubscribeLink.objects.filter(token=token).values_list("user_id", "event", "channel").first()
    user_id, event, channel = link or _legacy(token) or (None, None, None)
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    known = EVENTS.get(event) if isinstance(event, str) else None
    if known is None or not known.user_facing or channel not in Channel.values or channel not in known.channels:
        return None
    return Unsubscribe(user_id=user_id, event=event, channel=channel)
