"""Participatory budgeting: open a round, cast and change ballots, publish results."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.identity import person_key
from accounts.models import User
from accounts.permissions import refuse
from core.audit import log_action
from core.persian import format_number
from core.text import clean_instance
from notifications.services import notify
from places.models import District
from projects import events
from projects.models import Ballot, BudgetingCycle, BudgetingResult, BudgetingRound, Phase, Project, RoundStatus
from projects.permissions import ballot_denial_reason, can_manage_cycle, can_manage_district, can_manage_round

# A round may offer projects that are not yet under way.
ELIGIBLE_PHASES = frozenset({Phase.PROPOSED, Phase.UNDER_REVIEW, Phase.APPROVED})


def _check_eligible(district_id: int, projects: list[Project]) -> None:
    wrong = [p.title for p in projects if p.district_id != district_id or p.phase not in ELIGIBLE_PHASES]
    if wrong:
        raise ValidationError(
            {
                "eligible_projects": _(
                    "Only projects of the round's district that are proposed, under review or approved can be "
                    "chosen: %(titles)s"
                )
                % {"titles": "، ".join(wrong)}
            }
        )


@transaction.atomic
def round_create(
    *,
    actor: User,
    district: District,
    title: str,
    total_budget: int,
    opens_on: dt.date,
    closes_on: dt.date,
    eligible_projects: Iterable[Project] = (),
    description: str = "",
    cycle: BudgetingCycle | None = None,
) -> BudgetingRound:
    """Create a draft round for a district; staff create only in their districts.

    Rounds opened together share a ``cycle`` (one ballot per citizen across
    them); without one the round starts a cycle of its own.
    """
    if not can_manage_district(actor, district.pk):
        raise PermissionDenied(_("You cannot manage budgeting rounds in this district."))
    projects = list(eligible_projects)
    _check_eligible(district.pk, projects)
    if cycle is None:
        cycle = BudgetingCycle.objects.create(city_id=district.city_id, title=title)
        log_action(actor=actor, action="budgeting.cycle_created", target=cycle)
    elif cycle.city_id != district.city_id:
        raise ValidationError({"cycle": _("The cycle belongs to another city.")})
    budgeting_round = BudgetingRound(
        cycle=cycle,
        district=district,
        title=title,
        description=description,
        total_budget=total_budget,
        opens_on=opens_on,
        closes_on=closes_on,
        created_by=actor,
    )
    budgeting_round.full_clean()
    budgeting_round.save()
    budgeting_round.eligible_projects.set(projects)
    log_action(actor=actor, action="budgeting.round_created", target=budgeting_round)
    return budgeting_round


@transaction.atomic
def cycle_create(*, actor: User, city, title: str) -> BudgetingCycle:
    """Start a budgeting cycle: the city's district rounds that join it share one ballot per citizen."""
    if not can_manage_cycle(actor, city.pk):
        raise PermissionDenied(_("Only the city's administrators can start budgeting cycles."))
    cycle = BudgetingCycle(city=city, title=title)
    cycle.full_clean()
    cycle.save()
    log_action(actor=actor, action="budgeting.cycle_created", target=cycle)
    return cycle


@transaction.atomic
def cycle_update(*, actor: User, cycle: BudgetingCycle) -> BudgetingCycle:
    """Rename a cycle (``cycle`` carries the new title); its city stays."""
    stored = BudgetingCycle.objects.select_for_update().get(pk=cycle.pk)
    if not can_manage_cycle(actor, stored.city_id):
        raise PermissionDenied(_("Only the city's administrators can start budgeting cycles."))
    cycle.city_id = stored.city_id
    cycle.full_clean()
    if cycle.title != stored.title:
        cycle.save(update_fields=["title"])
        log_action(
            actor=actor, action="budgeting.cycle_changed", target=cycle, changes={"title": [stored.title, cycle.title]}
        )
    return cycle


@transaction.atomic
def cycle_delete(*, actor: User, cycle: BudgetingCycle) -> None:
    """Delete a cycle no round has joined."""
    if not can_manage_cycle(actor, cycle.city_id):
        raise PermissionDenied(_("Only the city's administrators can start budgeting cycles."))
    if BudgetingRound.objects.filter(cycle=cycle).exists():
        raise ValidationError(_("A cycle with rounds cannot be deleted."))
    log_action(actor=actor, action="budgeting.cycle_deleted", target=cycle)
    cycle.delete()


_ROUND_FIELDS = ("district", "title", "description", "total_budget", "opens_on", "closes_on")
# What may still change once voting has opened: the words, not the terms of the vote.
_OPEN_ROUND_FIELDS = ("title", "description")


@transaction.atomic
def round_update(
    *, actor: User, budgeting_round: BudgetingRound, eligible_projects: Iterable[Project] | None = None
) -> BudgetingRound:
    """Save staff's edits to a round; district, budget, dates and projects only while it is a draft.

    ``budgeting_round`` carries the new values (the admin form);
    ``eligible_projects`` ``None`` keeps the current ones.
    """
    stored = BudgetingRound.objects.select_for_update().get(pk=budgeting_round.pk)
    if not can_manage_round(actor, stored) or not can_manage_district(actor, budgeting_round.district_id):
        raise PermissionDenied(_("You cannot manage budgeting rounds in this district."))
    editable = _ROUND_FIELDS if stored.status == RoundStatus.DRAFT else _OPEN_ROUND_FIELDS
    for name in set(_ROUND_FIELDS) - set(editable):
        field = BudgetingRound._meta.get_field(name)
        setattr(budgeting_round, field.attname, getattr(stored, field.attname))
    budgeting_round.status = stored.status
    budgeting_round.full_clean()
    attnames = {name: BudgetingRound._meta.get_field(name).attname for name in editable}
    before = {name: str(getattr(stored, attname)) for name, attname in attnames.items()}
    after = {name: str(getattr(budgeting_round, attname)) for name, attname in attnames.items()}
    changes = {name: [before[name], after[name]] for name in editable if before[name] != after[name]}
    if changes:
        budgeting_round.save(update_fields=list(changes))
    if eligible_projects is not None and stored.status == RoundStatus.DRAFT:
        projects = list(eligible_projects)
        _check_eligible(budgeting_round.district_id, projects)
        old_ids = sorted(stored.eligible_projects.values_list("pk", flat=True))
        if old_ids != sorted(p.pk for p in projects):
            budgeting_round.eligible_projects.set(projects)
            changes["eligible_projects"] = [old_ids, sorted(p.pk for p in projects)]
    if changes:
        log_action(actor=actor, action="budgeting.round_changed", target=budgeting_round, changes=changes)
    return budgeting_round


@transaction.atomic
def round_delete(*, actor: User, budgeting_round: BudgetingRound) -> None:
    """Delete a draft round; once voting has opened the round and its ballots stay on record."""
    if not can_manage_round(actor, budgeting_round):
        raise PermissionDenied(_("You cannot manage budgeting rounds in this district."))
    locked = BudgetingRound.objects.select_for_update().get(pk=budgeting_round.pk)
    if locked.status != RoundStatus.DRAFT:
        raise ValidationError(_("Only a draft round can be deleted."))
    log_action(actor=actor, action="budgeting.round_deleted", target=locked)
    locked.delete()


@transaction.atomic
def round_open(*, budgeting_round: BudgetingRound, actor: User) -> BudgetingRound:
    """Open a draft round for voting; residents are told."""
    if not can_manage_round(actor, budgeting_round):
        raise PermissionDenied(_("You cannot manage budgeting rounds in this district."))
    locked = BudgetingRound.objects.select_for_update().get(pk=budgeting_round.pk)
    if locked.status != RoundStatus.DRAFT:
        raise ValidationError(_("Only a draft round can be opened."))
    if locked.closes_on < timezone.localdate():
        raise ValidationError({"closes_on": _("The closing date has already passed.")})
    if not locked.eligible_projects.exists():
        raise ValidationError({"eligible_projects": _("Choose at least one eligible project.")})
    locked.status = RoundStatus.OPEN
    locked.opened_at = timezone.now()
    locked.save(update_fields=["status", "opened_at"])
    log_action(actor=actor, action="budgeting.round_opened", target=locked)
    notify(
        event=events.BUDGETING_ROUND_OPENED,
        recipients=User.objects.filter(home_neighborhood__district_id=locked.district_id),
        target=locked,
        context={"round": locked.title, "district": str(locked.district), "closes_on": locked.closes_on},
        url=reverse("projects:round", args=[locked.pk]),
        actor=actor,
    )
    budgeting_round.status, budgeting_round.opened_at = locked.status, locked.opened_at
    return locked


@transaction.atomic
def ballot_submit(*, budgeting_round: BudgetingRound, voter: User, projects: Iterable[Project]) -> Ballot:
    """Cast or replace the voter's ballot; the chosen budgets may not exceed the round's total."""
    locked = BudgetingRound.objects.select_for_update().get(pk=budgeting_round.pk)
    reason = ballot_denial_reason(voter, locked)
    if reason:
        refuse(reason, code=getattr(reason, "code", "voting_closed"))
    chosen = {p.pk: p for p in projects}
    if not chosen:
        raise ValidationError({"projects": _("Choose at least one project.")})
    eligible = {p.pk: p for p in locked.eligible_projects.only("id", "budget", "title")}
    unknown = set(chosen) - set(eligible)
    if unknown:
        raise ValidationError({"projects": _("Some chosen projects are not part of this round.")})
    total = sum(eligible[pk].budget for pk in chosen)
    if total > locked.total_budget:
        raise ValidationError(
            {
                "projects": _("The chosen projects cost %(total)s rials, more than the round's %(cap)s rials.")
                % {"total": format_number(total), "cap": format_number(locked.total_budget)}
            }
        )
    home = voter.home_neighborhood
    try:
        with transaction.atomic():
            ballot, created = Ballot.objects.get_or_create(
                round=locked,
                voter=voter,
                defaults={"cycle_id": locked.cycle_id, "voter_key": person_key(voter.phone), "district": home.district},
            )
    except IntegrityError:
        raise ValidationError(
            _("You have already cast a ballot in this budgeting cycle; moving home does not give a second one."),
            code="already_voted_in_cycle",
        ) from None
    if not created:
        ballot.updated_at = timezone.now()
        ballot.save(update_fields=["updated_at"])
    ballot.projects.set(list(chosen))
    return ballot


@transaction.atomic
def ballot_withdraw(*, budgeting_round: BudgetingRound, voter: User) -> bool:
    """Remove the voter's ballot while voting is open."""
    locked = BudgetingRound.objects.select_for_update().get(pk=budgeting_round.pk)
    reason = ballot_denial_reason(voter, locked)
    if reason:
        refuse(reason, code=getattr(reason, "code", "voting_closed"))
    deleted, _count = Ballot.objects.filter(round=locked, voter=voter).delete()
    return bool(deleted)


@dataclass(frozen=True)
class Ranked:
    project_id: int
    ballots: int
    budget: int
    rank: int
    funded: bool


def compute_results(total_budget: int, tallies: Iterable[tuple[int, int, int]]) -> list[Ranked]:
    """Rank (project id, ballots, budget) rows and fund them in order while the money lasts.

    More ballots rank higher; on a tie the cheaper project ranks first (so the
    budget reaches more projects), then the older one (lower id). Going down
    the ranking, a project is funded when its budget still fits in what is
    left; one that does not fit is skipped and cheaper ones below it can still
    be funded.
    """
    ordered = sorted(tallies, key=lambda row: (-row[1], row[2], row[0]))
    remaining = total_budget
    results = []
    for rank, (project_id, ballots, budget) in enumerate(ordered, start=1):
        funded = ballots > 0 and budget <= remaining
        if funded:
            remaining -= budget
        results.append(Ranked(project_id, ballots, budget, rank, funded))
    return results


@transaction.atomic
def round_publish_results(*, budgeting_round: BudgetingRound, actor: User | None) -> list[BudgetingResult]:
    """Count the ballots of a closed round and publish the ranking; runs once per round."""
    if actor is not None and not can_manage_round(actor, budgeting_round):
        raise PermissionDenied(_("You cannot manage budgeting rounds in this district."))
    locked = BudgetingRound.objects.select_for_update().get(pk=budgeting_round.pk)
    if locked.status != RoundStatus.OPEN:
        raise ValidationError(_("Only an open round can have its results published."))
    if not locked.has_closed():
        raise ValidationError(_("Results are published once voting has closed."))
    tallies = locked.eligible_projects.annotate(
        votes=Count("ballots", filter=Q(ballots__round_id=locked.pk), distinct=True)
    ).values_list("id", "votes", "budget")
    ranked = compute_results(locked.total_budget, list(tallies))
    rows = BudgetingResult.objects.bulk_create(
        clean_instance(
            BudgetingResult(
                round=locked, project_id=r.project_id, ballots=r.ballots, rank=r.rank, budget=r.budget, funded=r.funded
            )
        )
        for r in ranked
    )
    locked.status = RoundStatus.PUBLISHED
    locked.published_at = timezone.now()
    locked.save(update_fields=["status", "published_at"])
    log_action(
        actor=actor,
        action="budgeting.results_published",
        target=locked,
        changes={"funded": [r.project_id for r in ranked if r.funded]},
    )
    notify(
        event=events.BUDGETING_ROUND_RESULTS,
        recipients=User.objects.filter(home_neighborhood__district_id=locked.district_id),
        target=locked,
        context={"round": locked.title, "district": str(locked.district)},
        url=reverse("projects:round", args=[locked.pk]),
        actor=actor,
    )
    budgeting_round.status, budgeting_round.published_at = locked.status, locked.published_at
    return rows
