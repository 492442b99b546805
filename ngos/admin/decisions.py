"""The decision buttons on an organisation's and a plan's admin page (``core.admin.lifecycle``).

Each step calls the same service as the changelist's bulk action; which
steps fit a record comes from the service's own table of moves
(``TRANSITIONS``, ``REVIEW_MOVES``), and who may take them from ``ngos.permissions``.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from core.admin.lifecycle import Step, choice_or_text
from ngos import permissions, services
from ngos.models import Organization, OrganizationStatus, Plan, PlanStatus
from ngos.services.lifecycle import TRANSITIONS
from ngos.services.plans import REVIEW_MOVES

REJECT_REASONS = (
    _("The registration number does not match the documents sent."),
    _("The licence scan is unreadable or incomplete."),
    _("The licence has expired."),
    _("The organisation does not work in this city."),
)
CHANGE_NOTES = (
    _("Upload a clearer scan of the licence."),
    _("Complete the address and the contact details."),
    _("Choose the districts the organisation really serves."),
)
SUSPEND_REASONS = (
    _("The annual activity report has not been sent."),
    _("Residents' complaints are being looked into."),
    _("The licence has expired."),
)
PLAN_NOTES = (
    _("Send the cost estimate item by item."),
    _("Say more precisely which neighbourhoods and when."),
    _("Attach the organisation's record of similar work."),
)


USUAL_REASONS, WRITE_REASON = _("Usual reasons"), _("or write the reason")


def _reason_form(choices, *, choice_label=USUAL_REASONS, text_label=WRITE_REASON):
    return choice_or_text(
        "reason",
        choices,
        choice_label=choice_label,
        text_label=text_label,
        missing=_("Write the reason or choose one from the list; the managers will see it."),
    )


RejectForm = _reason_form(REJECT_REASONS)
SuspendForm = _reason_form(SUSPEND_REASONS)
ChangesForm = _reason_form(CHANGE_NOTES, choice_label=_("Usual requests"), text_label=_("or write what to fix"))
PlanReturnForm = _reason_form(PLAN_NOTES, choice_label=_("Usual requests"), text_label=_("or write what to fix"))


def _edge(action: str):
    """Whether an organisation's status has the move the lifecycle service calls ``action``."""
    starts = {start for (start, _end), name in TRANSITIONS.items() if name == action}
    return lambda organization: organization.status in starts


ORGANIZATION_STEPS = (
    Step(
        "verify",
        _("Verify"),
        _edge("verified"),
        lambda user, o, data: services.organization_verify(user=user, organization=o),
        _("The organisation “%(object)s” was verified."),
        primary=True,
    ),
    Step(
        "request_changes",
        _("Request changes"),
        _edge("changes_requested"),
        lambda user, o, data: services.organization_request_changes(user=user, organization=o, note=data["reason"]),
        _("“%(object)s” was returned to its managers to fix."),
        form=ChangesForm,
    ),
    Step(
        "reject",
        _("Reject"),
        _edge("rejected"),
        lambda user, o, data: services.organization_reject(user=user, organization=o, reason=data["reason"]),
        _("The organisation “%(object)s” was rejected."),
        form=RejectForm,
    ),
    Step(
        "suspend",
        _("Suspend"),
        _edge("suspended"),
        lambda user, o, data: services.organization_suspend(user=user, organization=o, reason=data["reason"]),
        _("The organisation “%(object)s” was suspended."),
        form=SuspendForm,
    ),
    Step(
        "reinstate",
        _("Lift the suspension"),
        _edge("reinstated"),
        lambda user, o, data: services.organization_reinstate(user=user, organization=o),
        _("The suspension of “%(object)s” was lifted."),
        primary=True,
    ),
)


def organization_permitted(request, organization: Organization) -> bool:
    return permissions.can_review_organization(request.user, organization)


def _move(decision: str):
    return lambda plan: decision in REVIEW_MOVES.get(plan.status, set())


def _review(decision: str, comment_key: str | None = None):
    return lambda user, plan, data: services.plan_review(
        actor=user, plan=plan, decision=decision, comment=data.get(comment_key, "") if comment_key else ""
    )


PLAN_STEPS = (
    Step(
        "accept",
        _("Accept"),
        _move(PlanStatus.ACCEPTED),
        _review(PlanStatus.ACCEPTED),
        _("The plan “%(object)s” was accepted."),
        primary=True,
    ),
    Step(
        "start_review",
        _("Take under review"),
        _move(PlanStatus.UNDER_REVIEW),
        _review(PlanStatus.UNDER_REVIEW),
        _("The plan “%(object)s” is now under review."),
    ),
    Step(
        "return",
        _("Request changes"),
        _move(PlanStatus.RETURNED),
        _review(PlanStatus.RETURNED, "reason"),
        _("The plan “%(object)s” was returned to the organisation with your comment."),
        form=PlanReturnForm,
    ),
)


def plan_permitted(request, plan: Plan) -> bool:
    return permissions.can_review_plan(request.user, plan)


QUEUE_OF_ORGANIZATIONS = (OrganizationStatus.SUBMITTED,)
QUEUE_OF_PLANS = (PlanStatus.SUBMITTED, PlanStatus.UNDER_REVIEW)
