"""Who may do what to projects, comments, supports, rounds and ideas.

Pages, the API and the admin all ask these functions; staff scope comes from
``accounts.permissions`` so it is decided in one place.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import person_key
from accounts.permissions import can_act_in_district, mobile_gate, needs_verified_mobile, scope_to_districts
from ngos.permissions import can_review_plan
from places.models import CityParticipationSettings, Neighborhood
from places.permissions import can_manage_city
from projects import conf
from projects.models import (
    SUPPORTABLE_PHASES,
    Ballot,
    BudgetingCycle,
    BudgetingRound,
    Comment,
    CommentStatus,
    Idea,
    Project,
)


def _signed_in(user) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def home_district_id(user) -> int | None:
    """The district of the user's home neighbourhood (one small query, cached on the user)."""
    if not _signed_in(user) or user.home_neighborhood_id is None:
        return None
    if not hasattr(user, "_home_district_id"):
        user._home_district_id = (
            Neighborhood.objects.filter(pk=user.home_neighborhood_id).values_list("district_id", flat=True).first()
        )
    return user._home_district_id


# --- projects -----------------------------------------------------------------
def can_manage_project(user, project: Project) -> bool:
    return can_act_in_district(user, project.district_id)


def can_manage_district(user, district_id: int | None) -> bool:
    return can_act_in_district(user, district_id)


def projects_managed_by(user) -> QuerySet:
    return scope_to_districts(Project.objects.all(), user, "district")


def plan_project_district_id(plan) -> int | None:
    """The district a project made from ``plan`` belongs to: that of the plan's first neighbourhood."""
    return plan.target_neighborhoods.order_by("id").values_list("district_id", flat=True).first()


def can_make_project_of_plan(user, plan) -> bool:
    """Staff who may review the plan and who serve the district its project will be in."""

    return can_review_plan(user, plan) and can_manage_district(user, plan_project_district_id(plan))


# --- supports -----------------------------------------------------------------
def support_denial_reason(user, project: Project, city_settings: CityParticipationSettings | None = None) -> str | None:
    """Why ``user`` may not support (or withdraw from) ``project`` now, or None when they may."""
    if not _signed_in(user):
        return _("Sign in to support projects.")
    if project.phase not in SUPPORTABLE_PHASES:
        return _("This project can no longer be supported in its current phase.")
    if city_settings is None:
        city_settings = CityParticipationSettings.for_project(project)
    if city_settings.support_residents_only and home_district_id(user) != project.district_id:
        return _(
            "Only residents of this district can support this project. Set your home neighbourhood in your profile."
        )
    return mobile_gate(user, _("Confirm your mobile number to support projects: we send you a code by SMS."))


def can_support(user, project: Project) -> bool:
    return support_denial_reason(user, project) is None


# --- comments -----------------------------------------------------------------
def comment_denial_reason(user, project: Project, city_settings: CityParticipationSettings | None = None) -> str | None:
    """Why ``user`` may not comment on ``project`` (or reply), or None; the city decides on the verified number."""
    if not _signed_in(user):
        return _("Sign in to comment.")
    if needs_verified_mobile(user):
        if city_settings is None:
            city_settings = CityParticipationSettings.for_project(project)
        if city_settings.comment_requires_verified_mobile:
            return mobile_gate(user, _("Confirm your mobile number to comment: we send you a code by SMS."))
    return None


def can_comment(user, project: Project) -> bool:
    return comment_denial_reason(user, project) is None


def comment_edit_deadline(comment: Comment):
    return comment.created_at + timezone.timedelta(minutes=conf.comment_edit_minutes())


def can_edit_comment(user, comment: Comment) -> bool:
    return (
        _signed_in(user)
        and comment.author_id == user.pk
        and comment.status in (CommentStatus.PENDING, CommentStatus.PUBLISHED)
        and timezone.now() <= comment_edit_deadline(comment)
    )


def can_delete_comment(user, comment: Comment) -> bool:
    return _signed_in(user) and comment.author_id == user.pk and comment.status != CommentStatus.DELETED


def can_flag_comment(user, comment: Comment) -> bool:
    return _signed_in(user) and comment.author_id != user.pk and comment.status == CommentStatus.PUBLISHED


def can_moderate_comment(user, comment: Comment) -> bool:
    return can_act_in_district(user, comment.project.district_id)


def comments_moderated_by(user) -> QuerySet:
    return scope_to_districts(Comment.objects.all(), user, "project__district")


def can_export_comments(user, district_id: int | None) -> bool:
    return can_act_in_district(user, district_id)


# --- budgeting ----------------------------------------------------------------
def can_manage_round(user, budgeting_round: BudgetingRound) -> bool:
    return can_act_in_district(user, budgeting_round.district_id)


def can_manage_cycle(user, city_id: int | None) -> bool:
    """Budgeting cycles (district rounds opened together) are the city admins'; district staff pick one."""
    return can_manage_city(user, city_id)


def cycles_usable_by(user) -> QuerySet:
    """Cycles a round of the user's districts may join: those of the cities of those districts."""
    return scope_to_districts(BudgetingCycle.objects.all(), user, "city__districts")


class CycleReason(str):
    """A ballot refused because the person voted in another round of the same cycle."""

    code = "already_voted_in_cycle"


def ballot_denial_reason(user, budgeting_round: BudgetingRound) -> str | None:
    """Why ``user`` may not cast or change a ballot in the round now, or None."""
    if not _signed_in(user):
        return _("Sign in to vote.")
    if not budgeting_round.is_voting_open():
        return _("Voting in this round is not open.")
    if home_district_id(user) != budgeting_round.district_id:
        return _("Only residents of this district can vote in this round. Set your home neighbourhood in your profile.")
    gate = mobile_gate(user, _("Confirm your mobile number to vote: we send you a code by SMS."))
    if gate:
        return gate
    # Said before the vote rather than after it: the database refuses a second ballot in the cycle anyway.
    # By person, as the constraint counts: a ballot left by a deleted account with this number counts too.
    in_cycle = Ballot.objects.filter(cycle_id=budgeting_round.cycle_id, voter_key=person_key(user.phone))
    voted_elsewhere = in_cycle.exclude(round_id=budgeting_round.pk, voter=user).exists()
    if voted_elsewhere:
        return CycleReason(
            _("You have already cast a ballot in this budgeting cycle; moving home does not give a second one.")
        )
    return None


# --- ideas --------------------------------------------------------------------
def can_submit_idea(user) -> bool:
    return _signed_in(user)


def can_review_idea(user, idea: Idea) -> bool:
    return can_act_in_district(user, idea.neighborhood.district_id)


def ideas_reviewed_by(user) -> QuerySet:
    return scope_to_districts(Idea.objects.all(), user, "neighborhood__district")
