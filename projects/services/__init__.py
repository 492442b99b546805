"""Every write of the projects app: pages, the API and the admin call these functions."""

from projects.services.budgeting import (
    ballot_submit,
    ballot_withdraw,
    compute_results,
    cycle_create,
    cycle_delete,
    cycle_update,
    round_create,
    round_delete,
    round_open,
    round_publish_results,
    round_update,
)
from projects.services.catalogue import project_create_from_plan, projects_import_bulk
from projects.services.comments import (
    comment_delete,
    comment_edit,
    comment_flag,
    comment_moderate,
    comment_moderate_many,
    comment_moderation_undo,
    comment_post,
)
from projects.services.flagged_words import flagged_word_delete, flagged_word_duplicate, flagged_word_save
from projects.services.ideas import (
    idea_accept,
    idea_return,
    idea_round_create,
    idea_round_delete,
    idea_round_update,
    idea_submit,
)
from projects.services.images import project_add_image, project_image_update, project_remove_image
from projects.services.imports import import_job_finish, import_job_open, import_job_progress, import_job_start
from projects.services.projects import (
    project_change_phase,
    project_create,
    project_delete,
    project_post_update,
    project_register,
    project_update,
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
    "comment_moderation_undo",
    "comment_post",
    "compute_results",
    "cycle_create",
    "cycle_delete",
    "cycle_update",
    "idea_accept",
    "idea_return",
    "idea_round_create",
    "idea_round_delete",
    "idea_round_update",
    "idea_submit",
    "import_job_finish",
    "import_job_open",
    "import_job_progress",
    "import_job_start",
    "flagged_word_delete",
    "flagged_word_duplicate",
    "flagged_word_save",
    "project_add_image",
    "project_change_phase",
    "project_create",
    "project_create_from_plan",
    "project_delete",
    "project_image_update",
    "project_post_update",
    "project_register",
    "project_remove_image",
    "project_update",
    "projects_import_bulk",
    "round_create",
    "round_delete",
    "round_open",
    "round_publish_results",
    "round_update",
    "support_cast",
    "support_withdraw",
]
