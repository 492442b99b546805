"""The machinery of notification events: what an event is, the channels, and the registry.

Each app declares the events it raises in its own ``events.py`` and hands
them to this registry from its ``AppConfig.ready()``::

    from notifications.events import register
    register(*events.ALL)        # the app's own events module

The source service then raises one with a single call, naming the app's own
constant::

    notify(event=events.COMMENT_REPLIED, recipients=[parent.author], target=reply,
           context={"actor": reply.author.display_name, "project": project.title, "excerpt": reply.body})

An event's key is stored in notification rows, preferences and unsubscribe
tokens, so it never changes once released. See docs/notifications.md for the
events each app declares and the context each one needs.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from core.jalali import jalali_date_string
from core.persian import localize_digits


class Channel(models.TextChoices):
    IN_APP = "in_app", pgettext_lazy("notification channel", "In the portal")
    EMAIL = "email", pgettext_lazy("notification channel", "Email")
    SMS = "sms", pgettext_lazy("notification channel", "SMS")


ALL_CHANNELS = (Channel.IN_APP, Channel.EMAIL, Channel.SMS)
WEB_CHANNELS = frozenset({Channel.IN_APP, Channel.EMAIL})
EVERY_CHANNEL = frozenset(ALL_CHANNELS)


# The sections of the preferences page, in the order it shows them; an event names its section.
PARTICIPATION = _("Comments and projects")
FOLLOWING = _("What I follow")
ORGANISATIONS = _("My organisations")
NEIGHBOURHOOD = _("My neighbourhood")
SECTIONS = (PARTICIPATION, FOLLOWING, ORGANISATIONS, NEIGHBOURHOOD)


class MissingContext(ValueError):
    """A source service called ``notify`` without a value the event's text needs."""


@dataclass(frozen=True)
class Event:
    key: str
    label: Promise
    subject: Promise | str
    body: Promise | str
    params: tuple[str, ...]
    # Context values that may be left out; they read as empty text.
    optional: tuple[str, ...] = ()
    channels: frozenset[str] = WEB_CHANNELS
    defaults: frozenset[str] = WEB_CHANNELS
    digestible: bool = True
    # Internal events (the digest itself) have no user preference of their own.
    user_facing: bool = True
    group: Promise = field(default=PARTICIPATION)

    def render(self, context: Mapping[str, Any]) -> tuple[str, str]:
        """Subject and body in the active language, with dates and digits localised."""
        missing = [name for name in self.params if name not in context]
        if missing:
            raise MissingContext(f"Event {self.key!r} needs context {', '.join(missing)}.")
        values = {name: _display(context.get(name, "")) for name in (*self.params, *self.optional)}
        subject = " ".join(str(self.subject % values).split())
        body = str(self.body % values).strip()
        return subject, body


def _display(value: Any) -> str:
    """How a context value reads in a sentence: Jalali dates, localised digits."""
    if value is None:
        return ""
    if isinstance(value, (dt.date, dt.datetime)):
        return jalali_date_string(value, with_time=isinstance(value, dt.datetime))
    if isinstance(value, (int, decimal.Decimal)) and not isinstance(value, bool):
        return localize_digits(value)
    return str(value)


# --- the registry ------------------------------------------------------------------------
_registry: dict[str, Event] = {}
# Every registered event by key, read-only: the apps add theirs with ``register``.
EVENTS: Mapping[str, Event] = MappingProxyType(_registry)


def register(*events: Event) -> None:
    """Add an app's events; a key may name only one event, and registering it again changes nothing."""
    for event in events:
        known = _registry.get(event.key)
        if known is not None and known != event:
            raise ImproperlyConfigured(f"Two notification events use the key {event.key!r}.")
        _registry[event.key] = event


def get_event(key: str | Event) -> Event:
    """The registered event of ``key`` (or the registered twin of an ``Event``)."""
    name = key.key if isinstance(key, Event) else key
    try:
        return _registry[name]
    except KeyError:
        raise ValueError(
            f"Unknown notification event {name!r}; declare it in the app's events.py and register it."
        ) from None


def user_events() -> list[Event]:
    """Events a user has preferences for, in the order the preferences page shows them."""
    order = {str(section): index for index, section in enumerate(SECTIONS)}
    facing = [event for event in _registry.values() if event.user_facing]
    return sorted(facing, key=lambda event: order.get(str(event.group), len(order)))


def event_choices() -> list[tuple[str, Promise]]:
    return [(event.key, event.label) for event in _registry.values()]


# --- the one event of this app: the summary email ---------------------------------------
DIGEST = "digest"
register(
    Event(
        key=DIGEST,
        label=_("Summary email"),
        subject=_("Civic Portal summary, new notifications: %(count)s"),
        body="%(items)s",
        params=("count", "items"),
        channels=frozenset({Channel.EMAIL}),
        defaults=frozenset({Channel.EMAIL}),
        digestible=False,
        user_facing=False,
    )
)
