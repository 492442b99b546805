"""The registry of events people are notified about.

Each event names the context it needs, its subject and body (English source,
translated to Persian through the catalogue), the channels it may use, the
channels that are on until the user says otherwise, and whether it may wait
for a digest. A source service wires an event with one line::

    notify(event="comment_replied", recipients=[parent.author], target=reply,
           context={"actor": reply.author.display_name, "project": project.title, "excerpt": reply.body})

See docs/notifications.md for the context each event expects.
"""

from __future__ import annotations

import datetime as dt
import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

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


PARTICIPATION = _("Comments and projects")
ORGANISATIONS = _("My organisations")
NEIGHBOURHOOD = _("My neighbourhood")


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


_EVENTS = [
    # --- comments ---------------------------------------------------------
    Event(
        key="comment_replied",
        label=_("Someone replies to my comment"),
        subject=_("%(actor)s replied to your comment"),
        body=_("%(actor)s replied to your comment on “%(project)s”:\n\n%(excerpt)s"),
        params=("actor", "project", "excerpt"),
        group=PARTICIPATION,
    ),
    Event(
        key="comment_approved",
        label=_("My comment is approved"),
        subject=_("Your comment was published"),
        body=_("Your comment on “%(project)s” was approved and everyone can now read it."),
        params=("project",),
        defaults=frozenset({Channel.IN_APP}),
        group=PARTICIPATION,
    ),
    Event(
        key="comment_rejected",
        label=_("My comment is rejected"),
        subject=_("Your comment was not published"),
        body=_("Your comment on “%(project)s” was not published.\n\nReason: %(reason)s"),
        params=("project", "reason"),
        group=PARTICIPATION,
    ),
    # --- followed projects -------------------------------------------------
    Event(
        key="project_phase_changed",
        label=_("A project I follow changes phase"),
        subject=_("“%(project)s” is now in the phase “%(phase)s”"),
        body=_("The project “%(project)s” that you follow has moved to the phase “%(phase)s”."),
        params=("project", "phase"),
        group=PARTICIPATION,
    ),
    Event(
        key="project_update_posted",
        label=_("A project I follow has an official update"),
        subject=_("New update on “%(project)s”"),
        body=_("The municipality posted an update on the project “%(project)s” that you follow:\n\n%(excerpt)s"),
        params=("project", "excerpt"),
        group=PARTICIPATION,
    ),
    # --- organisations --------------------------------------------------------
    Event(
        key="organization_verified",
        label=_("My organisation is verified"),
        subject=_("“%(organization)s” has been verified"),
        body=_("The profile of “%(organization)s” has been verified and is now listed publicly."),
        params=("organization",),
        channels=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="organization_rejected",
        label=_("My organisation is rejected"),
        subject=_("“%(organization)s” was not verified"),
        body=_("The profile of “%(organization)s” was not verified.\n\nReason: %(reason)s"),
        params=("organization", "reason"),
        channels=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="organization_changes_requested",
        label=_("My organisation is asked for changes"),
        subject=_("“%(organization)s” needs changes before verification"),
        body=_(
            "The municipality asks you to correct the profile of “%(organization)s” and submit it again."
            "\n\nWhat to fix: %(reason)s"
        ),
        params=("organization", "reason"),
        channels=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="organization_licence_expiring",
        label=_("My organisation's licence is about to expire"),
        subject=_("The licence of “%(organization)s” expires in %(days)s days"),
        body=_(
            "The licence of “%(organization)s” expires on %(expiry_date)s. "
            "Renew it and update the profile so the organisation stays verified."
        ),
        params=("organization", "days", "expiry_date"),
        channels=EVERY_CHANNEL,
        defaults=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="organization_licence_expired",
        label=_("My organisation's licence has expired"),
        subject=_("The licence of “%(organization)s” has expired"),
        body=_(
            "The licence of “%(organization)s” expired on %(expiry_date)s. "
            "Upload the renewed licence so the profile can be verified again."
        ),
        params=("organization", "expiry_date"),
        channels=EVERY_CHANNEL,
        defaults=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="volunteer_application_accepted",
        label=_("My volunteer application is accepted"),
        subject=_("You are accepted as a volunteer for “%(opportunity)s”"),
        body=_("“%(organization)s” accepted your application to volunteer for “%(opportunity)s”."),
        params=("opportunity", "organization"),
        channels=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="volunteer_application_declined",
        label=_("My volunteer application is declined"),
        subject=_("Your application for “%(opportunity)s” was declined"),
        body=_("“%(organization)s” could not accept your application to volunteer for “%(opportunity)s”."),
        params=("opportunity", "organization"),
        group=ORGANISATIONS,
    ),
    # --- neighbourhood ---------------------------------------------------------
    Event(
        key="need_report_status_changed",
        label=_("A need report I filed changes status"),
        subject=_("Your need report “%(report)s” is now: %(status)s"),
        body=_("The status of the need report “%(report)s” that you filed is now “%(status)s”.\n\n%(note)s"),
        params=("report", "status"),
        optional=("note",),
        channels=EVERY_CHANNEL,
        group=NEIGHBOURHOOD,
    ),
    Event(
        key="budgeting_round_opened",
        label=_("A budgeting round opens in my district"),
        subject=_("Budgeting round “%(round)s” is open in %(district)s"),
        body=_(
            "Residents of %(district)s can now choose the projects for the budgeting round “%(round)s” "
            "until %(closes_on)s."
        ),
        params=("round", "district", "closes_on"),
        group=NEIGHBOURHOOD,
    ),
    Event(
        key="budgeting_round_results",
        label=_("Results of a budgeting round in my district"),
        subject=_("Results of the budgeting round “%(round)s”"),
        body=_("The results of the budgeting round “%(round)s” in %(district)s have been published."),
        params=("round", "district"),
        group=NEIGHBOURHOOD,
    ),
    # --- raised by the apps beyond the list ---------------------------------------------
    Event(
        key="organization_suspended",
        label=_("My organisation is suspended"),
        subject=_("“%(organization)s” has been suspended"),
        body=_("The profile of “%(organization)s” has been taken out of the public directory.\n\nReason: %(reason)s"),
        params=("organization", "reason"),
        channels=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="organization_reinstated",
        label=_("My organisation is reinstated"),
        subject=_("“%(organization)s” is listed again"),
        body=_("The suspension of “%(organization)s” has been lifted and its profile is public again."),
        params=("organization",),
        channels=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="manager_invited",
        label=_("I am invited to manage an organisation"),
        subject=_("You are invited to manage “%(organization)s”"),
        body=_("You have been invited to manage “%(organization)s” on the portal. Open the invitation to accept it."),
        params=("organization",),
        channels=EVERY_CHANNEL,
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="plan_reviewed",
        label=_("A plan of my organisation is reviewed"),
        subject=_("Your plan “%(plan)s” is now: %(status)s"),
        body=_("The municipality reviewed the plan “%(plan)s”; its status is now “%(status)s”.\n\n%(comment)s"),
        params=("plan", "status"),
        optional=("comment",),
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="meeting_scheduled",
        label=_("A meeting for organisations is scheduled"),
        subject=_("Meeting “%(meeting)s” on %(starts_at)s"),
        body=_("The municipality has scheduled the meeting “%(meeting)s” on %(starts_at)s at %(place)s."),
        params=("meeting", "starts_at", "place"),
        digestible=False,
        group=ORGANISATIONS,
    ),
    Event(
        key="meeting_minutes_published",
        label=_("Minutes of a meeting are published"),
        subject=_("Minutes of “%(meeting)s” are published"),
        body=_("The minutes of the meeting “%(meeting)s” are now on the portal."),
        params=("meeting",),
        group=ORGANISATIONS,
    ),
    Event(
        key="idea_accepted",
        label=_("My project idea is accepted"),
        subject=_("Your idea “%(idea)s” became a project"),
        body=_("The municipality accepted your idea “%(idea)s” and added it to the projects of your neighbourhood."),
        params=("idea",),
        group=PARTICIPATION,
    ),
    Event(
        key="idea_returned",
        label=_("My project idea is returned"),
        subject=_("Your idea “%(idea)s” was returned"),
        body=_("The municipality returned your idea “%(idea)s”.\n\nReason: %(reason)s"),
        params=("idea", "reason"),
        group=PARTICIPATION,
    ),
    # --- internal ------------------------------------------------------------------
    Event(
        key="digest",
        label=_("Summary email"),
        subject=_("Civic Portal summary, new notifications: %(count)s"),
        body="%(items)s",
        params=("count", "items"),
        channels=frozenset({Channel.EMAIL}),
        defaults=frozenset({Channel.EMAIL}),
        digestible=False,
        user_facing=False,
    ),
]

EVENTS: dict[str, Event] = {event.key: event for event in _EVENTS}
DIGEST = "digest"


def get_event(key: str) -> Event:
    try:
        return EVENTS[key]
    except KeyError:
        raise ValueError(f"Unknown notification event {key!r}; add it to notifications.events.") from None


def user_events() -> list[Event]:
    """Events a user has preferences for, in the order the preferences page shows them."""
    return [event for event in _EVENTS if event.user_facing]


def event_choices() -> list[tuple[str, Promise]]:
    return [(event.key, event.label) for event in _EVENTS]
