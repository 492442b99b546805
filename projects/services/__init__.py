"""Every write of the projects app: pages, the API and the admin call these functions."""

from projects.services.budgeting import (
    ballot_submit,
    ballot_withdraw,
    compute_results,
    round_create,
    round_open,
    round_publish_results,
    round_set_eligible,
)
from projects.services.comments import (
    comment_delete,
    comment_edit,
    comment_flag,
    comment_moderate,
    comment_moderate_many,
    comment_post,
)
from projects.services.ideas import idea_accept, idea_return, idea_round_create, idea_submit
from projects.services.projects import (
    project_add_image,
    project_change_phase,
    project_create,
    project_create_from_plan,
    project_post_update,
    project_register,
)
from projects.services.supports import support_cast, support_withdraw

__all__ = [
    "ballot_submit",
    "ballot_withdraw",
    "comment_delete",
    "comment_edit",
    "comment_flag",
    "comment_moderate",
    "comment_moderate_many",
    "comment_post",
    "compute_results",
    "idea_accept",
    "idea_return",
    "idea_round_create",
    "idea_submit",
    "project_add_image",
    "project_change_phase",
    "project_create",
    "project_create_from_plan",
    "project_post_update",
    "project_register",
    "round_create",
    "round_open",
    "round_publish_results",
    "round_set_eligible",
    "support_cast",
    "support_withdraw",
]
