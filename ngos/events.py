"""The notification events the organisations app raises, registered from ``NgosConfig.ready()``.

Services name these constants; the keys are stored in notification rows,
preferences and unsubscribe links, so they never change.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.events import EVERY_CHANNEL, FOLLOWING, ORGANISATIONS, Event

# --- the lifecycle of my organisation ---------------------------------------------------------
ORGANIZATION_VERIFIED = Event(
    key="organization_verified",
    label=_("My organisation is verified"),
    subject=_("“%(organization)s” has been verified"),
    body=_("The profile of “%(organization)s” has been verified and is now listed publicly."),
    params=("organization",),
    channels=EVERY_CHANNEL,
    digestible=False,
    group=ORGANISATIONS,
)
ORGANIZATION_REJECTED = Event(
    key="organization_rejected",
    label=_("My organisation is rejected"),
    subject=_("“%(organization)s” was not verified"),
    body=_("The profile of “%(organization)s” was not verified.\n\nReason: %(reason)s"),
    params=("organization", "reason"),
    channels=EVERY_CHANNEL,
    digestible=False,
    group=ORGANISATIONS,
)
ORGANIZATION_CHANGES_REQUESTED = Event(
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
)
ORGANIZATION_LICENCE_EXPIRING = Event(
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
)
ORGANIZATION_LICENCE_EXPIRED = Event(
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
)
VOLUNTEER_APPLICATION_ACCEPTED = Event(
    key="volunteer_application_accepted",
    label=_("My volunteer application is accepted"),
    subject=_("You are accepted as a volunteer for “%(opportunity)s”"),
    body=_("“%(organization)s” accepted your application to volunteer for “%(opportunity)s”."),
    params=("opportunity", "organization"),
    channels=EVERY_CHANNEL,
    digestible=False,
    group=ORGANISATIONS,
)
VOLUNTEER_APPLICATION_DECLINED = Event(
    key="volunteer_application_declined",
    label=_("My volunteer application is declined"),
    subject=_("Your application for “%(opportunity)s” was declined"),
    body=_("“%(organization)s” could not accept your application to volunteer for “%(opportunity)s”."),
    params=("opportunity", "organization"),
    group=ORGANISATIONS,
)
ORGANIZATION_SUSPENDED = Event(
    key="organization_suspended",
    label=_("My organisation is suspended"),
    subject=_("“%(organization)s” has been suspended"),
    body=_("The profile of “%(organization)s” has been taken out of the public directory.\n\nReason: %(reason)s"),
    params=("organization", "reason"),
    channels=EVERY_CHANNEL,
    digestible=False,
    group=ORGANISATIONS,
)
ORGANIZATION_REINSTATED = Event(
    key="organization_reinstated",
    label=_("My organisation is reinstated"),
    subject=_("“%(organization)s” is listed again"),
    body=_("The suspension of “%(organization)s” has been lifted and its profile is public again."),
    params=("organization",),
    channels=EVERY_CHANNEL,
    digestible=False,
    group=ORGANISATIONS,
)
MANAGER_INVITED = Event(
    key="manager_invited",
    label=_("I am invited to manage an organisation"),
    subject=_("You are invited to manage “%(organization)s”"),
    body=_("You have been invited to manage “%(organization)s” on the portal. Open the invitation to accept it."),
    params=("organization",),
    channels=EVERY_CHANNEL,
    digestible=False,
    group=ORGANISATIONS,
)
PLAN_REVIEWED = Event(
    key="plan_reviewed",
    label=_("A plan of my organisation is reviewed"),
    subject=_("Your plan “%(plan)s” is now: %(status)s"),
    body=_("The municipality reviewed the plan “%(plan)s”; its status is now “%(status)s”.\n\n%(comment)s"),
    params=("plan", "status"),
    optional=("comment",),
    digestible=False,
    group=ORGANISATIONS,
)
MEETING_SCHEDULED = Event(
    key="meeting_scheduled",
    label=_("A meeting for organisations is scheduled"),
    subject=_("Meeting “%(meeting)s” on %(starts_at)s"),
    body=_("The municipality has scheduled the meeting “%(meeting)s” on %(starts_at)s at %(place)s."),
    params=("meeting", "starts_at", "place"),
    digestible=False,
    group=ORGANISATIONS,
)
MEETING_MINUTES_PUBLISHED = Event(
    key="meeting_minutes_published",
    label=_("Minutes of a meeting are published"),
    subject=_("Minutes of “%(meeting)s” are published"),
    body=_("The minutes of the meeting “%(meeting)s” are now on the portal."),
    params=("meeting",),
    group=ORGANISATIONS,
)

# --- organisations people follow ---------------------------------------------------------------
ORGANIZATION_OPPORTUNITY_POSTED = Event(
    key="organization_opportunity_posted",
    label=_("An organisation I follow calls for volunteers"),
    subject=_("“%(organization)s” calls for volunteers: “%(opportunity)s”"),
    body=_(
        "“%(organization)s”, which you follow, is looking for volunteers for “%(opportunity)s” "
        "on %(date)s at %(place)s."
    ),
    params=("organization", "opportunity", "date", "place"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)
ORGANIZATION_MEETING_SCHEDULED = Event(
    key="organization_meeting_scheduled",
    label=_("An organisation I follow is invited to a meeting"),
    subject=_("Meeting “%(meeting)s” for the organisations of %(scope)s"),
    body=_(
        "The municipality has scheduled the meeting “%(meeting)s” on %(starts_at)s at %(place)s "
        "for the organisations of %(scope)s, among them one you follow."
    ),
    params=("meeting", "starts_at", "place", "scope"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)

ALL = (
    ORGANIZATION_VERIFIED,
    ORGANIZATION_REJECTED,
    ORGANIZATION_CHANGES_REQUESTED,
    ORGANIZATION_LICENCE_EXPIRING,
    ORGANIZATION_LICENCE_EXPIRED,
    VOLUNTEER_APPLICATION_ACCEPTED,
    VOLUNTEER_APPLICATION_DECLINED,
    ORGANIZATION_SUSPENDED,
    ORGANIZATION_REINSTATED,
    MANAGER_INVITED,
    PLAN_REVIEWED,
    MEETING_SCHEDULED,
    MEETING_MINUTES_PUBLISHED,
    ORGANIZATION_OPPORTUNITY_POSTED,
    ORGANIZATION_MEETING_SCHEDULED,
)
