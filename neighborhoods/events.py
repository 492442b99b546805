"""The notification events the neighbourhoods app raises, registered from ``NeighborhoodsConfig.ready()``.

The key is stored in notification rows, preferences and unsubscribe links, so it never changes.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.events import EVERY_CHANNEL, NEIGHBOURHOOD, Event

NEED_REPORT_STATUS_CHANGED = Event(
    key="need_report_status_changed",
    label=_("A need report I filed changes status"),
    subject=_("Your need report “%(report)s” is now: %(status)s"),
    body=_("The status of the need report “%(report)s” that you filed is now “%(status)s”.\n\n%(note)s"),
    params=("report", "status"),
    optional=("note",),
    channels=EVERY_CHANNEL,
    group=NEIGHBOURHOOD,
)

STAFF_ANNOUNCEMENT = Event(
    key="staff_announcement",
    label=_("An announcement from the municipality for my neighbourhood or district"),
    subject=_("Announcement for %(place)s: %(title)s"),
    body=_("%(text)s\n\nYou receive this announcement because you follow or live in %(place)s."),
    params=("place", "title", "text"),
    channels=EVERY_CHANNEL,
    # Not folded into the summary email: an announcement is often about something this week.
    digestible=False,
    group=NEIGHBOURHOOD,
)

ALL = (NEED_REPORT_STATUS_CHANGED, STAFF_ANNOUNCEMENT)
