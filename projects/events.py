"""The notification events the projects app raises, registered from ``ProjectsConfig.ready()``.

Services name these constants (``notify(event=events.COMMENT_REPLIED, …)``);
the keys are stored in notification rows, preferences and unsubscribe links,
so they never change.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from notifications.events import EVERY_CHANNEL, FOLLOWING, NEIGHBOURHOOD, PARTICIPATION, Channel, Event

# --- comments -------------------------------------------------------------------------
COMMENT_REPLIED = Event(
    key="comment_replied",
    label=_("Someone replies to my comment"),
    subject=_("%(actor)s replied to your comment"),
    body=_("%(actor)s replied to your comment on “%(project)s”:\n\n%(excerpt)s"),
    params=("actor", "project", "excerpt"),
    group=PARTICIPATION,
)
COMMENT_APPROVED = Event(
    key="comment_approved",
    label=_("My comment is approved"),
    subject=_("Your comment was published"),
    body=_("Your comment on “%(project)s” was approved and everyone can now read it."),
    params=("project",),
    defaults=frozenset({Channel.IN_APP}),
    group=PARTICIPATION,
)
COMMENT_REJECTED = Event(
    key="comment_rejected",
    label=_("My comment is rejected"),
    subject=_("Your comment was not published"),
    body=_("Your comment on “%(project)s” was not published.\n\nReason: %(reason)s"),
    params=("project", "reason"),
    group=PARTICIPATION,
)

# --- what people follow: a project, or the neighbourhoods and districts it is in --------------
PROJECT_PHASE_CHANGED = Event(
    key="project_phase_changed",
    label=_("A project I follow changes phase"),
    subject=_("“%(project)s” is now in the phase “%(phase)s”"),
    body=_("The project “%(project)s” that you follow has moved to the phase “%(phase)s”."),
    params=("project", "phase"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)
PROJECT_UPDATE_POSTED = Event(
    key="project_update_posted",
    label=_("A project I follow has an official update"),
    subject=_("New update on “%(project)s”"),
    body=_("The municipality posted an update on the project “%(project)s” that you follow:\n\n%(excerpt)s"),
    params=("project", "excerpt"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)
PLACE_PROJECT_CREATED = Event(
    key="place_project_created",
    label=_("A new project in a neighbourhood or district I follow"),
    subject=_("New project in %(place)s: “%(project)s”"),
    body=_("The project “%(project)s” has been added in %(place)s, which you follow."),
    params=("project", "place"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)
PLACE_PROJECTS_IMPORTED = Event(
    key="place_projects_imported",
    label=_("New projects loaded in bulk in a district I follow (one summary)"),
    subject=_("%(count)s new projects in %(place)s"),
    body=_(
        "The municipality has added %(count)s new projects in %(place)s, where you follow the district or "
        "neighbourhoods. See them all on the project list."
    ),
    params=("count", "place"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)
PLACE_PROJECT_UPDATE_POSTED = Event(
    key="place_project_update_posted",
    label=_("An official update on a project in a neighbourhood or district I follow"),
    subject=_("New update on “%(project)s” in %(place)s"),
    body=_(
        "The municipality posted an update on the project “%(project)s” in %(place)s, which you follow:\n\n%(excerpt)s"
    ),
    params=("project", "place", "excerpt"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)
ORGANIZATION_PLAN_BECAME_PROJECT = Event(
    key="organization_plan_became_project",
    label=_("A plan of an organisation I follow becomes a project"),
    subject=_("A plan of “%(organization)s” became the project “%(project)s”"),
    body=_(
        "The municipality accepted a plan of “%(organization)s”, which you follow; "
        "it is now the project “%(project)s” in %(place)s."
    ),
    params=("organization", "project", "place"),
    channels=EVERY_CHANNEL,
    group=FOLLOWING,
)

# --- budgeting rounds and ideas -------------------------------------------------------------
BUDGETING_ROUND_OPENED = Event(
    key="budgeting_round_opened",
    label=_("A budgeting round opens in my district"),
    subject=_("Budgeting round “%(round)s” is open in %(district)s"),
    body=_(
        "Residents of %(district)s can now choose the projects for the budgeting round “%(round)s” until %(closes_on)s."
    ),
    params=("round", "district", "closes_on"),
    group=NEIGHBOURHOOD,
)
BUDGETING_ROUND_RESULTS = Event(
    key="budgeting_round_results",
    label=_("Results of a budgeting round in my district"),
    subject=_("Results of the budgeting round “%(round)s”"),
    body=_("The results of the budgeting round “%(round)s” in %(district)s have been published."),
    params=("round", "district"),
    group=NEIGHBOURHOOD,
)
IDEA_ACCEPTED = Event(
    key="idea_accepted",
    label=_("My project idea is accepted"),
    subject=_("Your idea “%(idea)s” became a project"),
    body=_("The municipality accepted your idea “%(idea)s” and added it to the projects of your neighbourhood."),
    params=("idea",),
    group=PARTICIPATION,
)
IDEA_RETURNED = Event(
    key="idea_returned",
    label=_("My project idea is returned"),
    subject=_("Your idea “%(idea)s” was returned"),
    body=_("The municipality returned your idea “%(idea)s”.\n\nReason: %(reason)s"),
    params=("idea", "reason"),
    group=PARTICIPATION,
)

ALL = (
    COMMENT_REPLIED,
    COMMENT_APPROVED,
    COMMENT_REJECTED,
    PROJECT_PHASE_CHANGED,
    PROJECT_UPDATE_POSTED,
    PLACE_PROJECT_CREATED,
    PLACE_PROJECTS_IMPORTED,
    PLACE_PROJECT_UPDATE_POSTED,
    ORGANIZATION_PLAN_BECAME_PROJECT,
    BUDGETING_ROUND_OPENED,
    BUDGETING_ROUND_RESULTS,
    IDEA_ACCEPTED,
    IDEA_RETURNED,
)
