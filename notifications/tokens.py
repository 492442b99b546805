"""Signed unsubscribe tokens: one event on one channel for one user, no sign-in needed."""

from __future__ import annotations

from dataclasses import dataclass

from django.core import signing

from notifications.events import EVENTS, Channel

SALT = "notifications.unsubscribe"


@dataclass(frozen=True)
class Unsubscribe:
    user_id: int
    event: str
    channel: str


def make_token(*, user_id: int, event: str, channel: str) -> str:
    return signing.dumps({"u": user_id, "e": event, "c": channel}, salt=SALT)


def read_token(token: str) -> Unsubscribe | None:
    """The request a token carries, or None when it was tampered with or names nothing we know."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict):
        return None
    user_id, event, channel = data.get("u"), data.get("e"), data.get("c")
    if not isinstance(user_id, int) or isinstance(user_id, bool):
        return None
    known = EVENTS.get(event) if isinstance(event, str) else None
    if known is None or not known.user_facing or channel not in Channel.values or channel not in known.channels:
        return None
    return Unsubscribe(user_id=user_id, event=event, channel=channel)
