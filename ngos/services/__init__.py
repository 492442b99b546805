"""Every write of the organisations app: one function each, used by pages, API and admin."""

from ngos.services.licences import SweepResult, licence_sweep
from ngos.services.lifecycle import (
    TRANSITIONS,
    organization_reinstate,
    organization_reject,
    organization_request_changes,
    organization_submit,
    organization_suspend,
    organization_verify,
    submission_problems,
)
from ngos.services.managers import (
    invitation_accept,
    invitation_decline,
    invitation_revoke,
    manager_invite,
    manager_remove,
)
from ngos.services.organizations import find_duplicates, organization_register, organization_update
from ngos.services.plans import (
    meeting_publish_minutes,
    meeting_rsvp,
    meeting_schedule,
    plan_resubmit,
    plan_review,
    plan_submit,
)
from ngos.services.volunteers import (
    application_apply,
    application_decide,
    application_withdraw,
    opportunity_close,
    opportunity_post,
    volunteer_profile_save,
)

__all__ = [
    "TRANSITIONS",
    "SweepResult",
    "application_apply",
    "application_decide",
    "application_withdraw",
    "find_duplicates",
    "invitation_accept",
    "invitation_decline",
    "invitation_revoke",
    "licence_sweep",
    "manager_invite",
    "manager_remove",
    "meeting_publish_minutes",
    "meeting_rsvp",
    "meeting_schedule",
    "opportunity_close",
    "opportunity_post",
    "organization_register",
    "organization_reinstate",
    "organization_reject",
    "organization_request_changes",
    "organization_submit",
    "organization_suspend",
    "organization_update",
    "organization_verify",
    "plan_resubmit",
    "plan_review",
    "plan_submit",
    "submission_problems",
    "volunteer_profile_save",
]
