"""Projects, participation, budgeting rounds and citizen ideas."""

from projects.models.budgeting import Ballot, BudgetingResult, BudgetingRound, RoundStatus
from projects.models.ideas import Idea, IdeaRound, IdeaStatus
from projects.models.participation import (
    CityParticipationSettings,
    Comment,
    CommentFlag,
    CommentStatus,
    FlaggedWord,
    FlagReason,
    ModerationPolicy,
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
    "BudgetingResult",
    "BudgetingRound",
    "Category",
    "CityParticipationSettings",
    "Comment",
    "CommentFlag",
    "CommentStatus",
    "FlagReason",
    "FlaggedWord",
    "Idea",
    "IdeaRound",
    "IdeaStatus",
    "ModerationPolicy",
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
