"""Projects, participation, budgeting rounds and citizen ideas."""

from projects.models.budgeting import Ballot, BudgetingCycle, BudgetingResult, BudgetingRound, RoundStatus
from projects.models.ideas import Idea, IdeaRound, IdeaStatus
from projects.models.imports import ImportJob, ImportStatus
from projects.models.participation import (
    Comment,
    CommentFlag,
    CommentStatus,
    FlaggedWord,
    FlagReason,
    ModerationQueueItem,
    Support,
)
from projects.models.project import (
    PHASE_TRANSITIONS,
    SUPPORTABLE_PHASES,
    Category,
    Phase,
    PhaseChange,
    Project,
    ProjectImage,
    ProjectQuerySet,
    ProjectUpdate,
    ProjectUpdateImage,
    ProposerKind,
)

__all__ = [
    "PHASE_TRANSITIONS",
    "SUPPORTABLE_PHASES",
    "Ballot",
    "BudgetingCycle",
    "BudgetingResult",
    "BudgetingRound",
    "Category",
    "Comment",
    "CommentFlag",
    "CommentStatus",
    "FlagReason",
    "FlaggedWord",
    "Idea",
    "IdeaRound",
    "IdeaStatus",
    "ImportJob",
    "ImportStatus",
    "ModerationQueueItem",
    "Phase",
    "PhaseChange",
    "Project",
    "ProjectImage",
    "ProjectQuerySet",
    "ProjectUpdate",
    "ProjectUpdateImage",
    "ProposerKind",
    "RoundStatus",
    "Support",
]
