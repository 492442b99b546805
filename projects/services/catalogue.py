"""Projects that enter the catalogue other than one by one: a bulk import, and an organisation's accepted plan."""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import log_actions
from core.pagecache import bump
from core.text import clean_instance
from ngos.models import Plan
from ngos.models.choices import PlanStatus
from notifications.services import notify_subscribers
from places.models import District, Neighborhood
from projects import events
from projects.models import Phase, PhaseChange, Project, ProposerKind
from projects.permissions import can_make_project_of_plan
from projects.services.projects import announce_new_project, check_neighborhoods, project_register, require_district
from projects.topics import PROJECTS


@transaction.atomic
def projects_import_bulk(
    *,
    actor: User | None,
    projects: Sequence[tuple[Project, Sequence[Neighborhood]]],
    note: str = "",
) -> list[Project]:
    """Save many new projects at once with what ``project_register`` gives each one.

    Cleaned text, normalised twins, the first phase on the timeline and one
    ``project.created`` audit entry per project, in a few bulk inserts
    (thousands of rows; ``save`` per row would take minutes and send a signal
    each).
    """
    allowed: dict[int, bool] = {}
    for project, hoods in projects:
        if project.district_id not in allowed:
            require_district(actor, project.district_id)
            allowed[project.district_id] = True
        check_neighborhoods(project.district, hoods)
    now = timezone.now()
    rows = [project for project, _hoods in projects]
    for project in rows:
        if project.phase == Phase.COMPLETED:
            project.progress = 100
        project.created_by = actor
        project.created_at = now
        clean_instance(project)
        project.refresh_search_fields()
    Project.objects.bulk_create(rows, batch_size=500)
    through = Project.neighborhoods.through
    through.objects.bulk_create(
        [through(project_id=p.pk, neighborhood_id=h.pk) for p, hoods in projects for h in hoods], batch_size=1000
    )
    PhaseChange.objects.bulk_create(
        [
            clean_instance(
                PhaseChange(project=p, from_phase="", to_phase=p.phase, note=note, changed_by=actor, changed_at=now)
            )
            for p in rows
        ],
        batch_size=1000,
    )
    log_actions(actor=actor, action="project.created", targets=rows, note=note)
    bump(PROJECTS)  # bulk inserts send no signals: make the cached lists stale here
    _announce_imported(projects=projects, actor=actor)
    return rows


def _announce_imported(*, projects: Sequence[tuple[Project, Sequence[Neighborhood]]], actor: User | None) -> None:
    """One summary per district to the followers of the district or of its neighbourhoods that got projects.

    A catalogue of hundreds of projects would otherwise send a follower
    hundreds of messages; each hears once, with the count and a link to the
    district's list.
    """
    by_district: dict[int, tuple[District, list[Project], set[Neighborhood]]] = {}
    for project, hoods in projects:
        district, listed, places = by_district.setdefault(project.district_id, (project.district, [], set()))
        listed.append(project)
        places.update(hoods)
    for district, listed, hoods in by_district.values():
        notify_subscribers(
            tiers=[(events.PLACE_PROJECTS_IMPORTED, [district, *sorted(hoods, key=lambda h: h.pk)])],
            target=district,
            context={"count": len(listed), "place": district.name},
            url=f"{reverse('projects:list')}?district={district.pk}",
            actor=actor,
        )


@transaction.atomic
def project_create_from_plan(*, plan, actor: User | None, note: str = "") -> Project:
    """Turn an organisation's accepted plan into a proposed project that keeps the link to it.

    Whatever door calls it (a staff action, the API), the organisation's
    followers hear that its plan became a project, and the followers of the
    project's neighbourhoods and district that there is a new project.
    """
    locked = Plan.objects.select_for_update(of=("self",)).select_related("organization").get(pk=plan.pk)
    if actor is not None and not can_make_project_of_plan(actor, locked):
        raise PermissionDenied(_("You cannot manage projects in this district."))
    if locked.status != PlanStatus.ACCEPTED:
        raise ValidationError(_("Only an accepted plan can become a project."), code="plan_not_accepted")
    if Project.objects.filter(source_plan=locked).exists():
        raise ValidationError(_("This plan has already become a project."), code="plan_used")
    hoods = list(locked.target_neighborhoods.select_related("district").order_by("id"))
    if not hoods:
        raise ValidationError(_("The plan names no neighbourhood, so its district is unknown."), code="plan_no_place")
    district = hoods[0].district
    project = Project(
        title=locked.title[:200],
        description=locked.description,
        district=district,
        budget=locked.estimated_budget,
        proposer_kind=ProposerKind.ORGANIZATION,
        proposer_name=locked.organization.name[:200],
        proposer_organization=locked.organization,
        source_plan=locked,
        phase=Phase.PROPOSED,
    )
    project_register(
        actor=actor,
        project=project,
        neighborhoods=[h for h in hoods if h.district_id == district.pk],
        note=note or _("From the accepted plan of %(organization)s.") % {"organization": locked.organization.name},
        announce=False,
    )
    announce_new_project(
        project=project, actor=actor, first=(events.ORGANIZATION_PLAN_BECAME_PROJECT, [locked.organization])
    )
    return project
