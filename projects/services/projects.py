"""Writes on projects: creation, phase changes and official updates, each told to the people who follow them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from core.audit import log_action
from core.text import clean_instance
from core.uploads import IMAGE_KINDS, validate_upload
from notifications.services import Tier, notify_subscribers
from places.models import District, Neighborhood
from projects import events
from projects.models import (
    PHASE_TRANSITIONS,
    Category,
    Phase,
    PhaseChange,
    Project,
    ProjectUpdate,
    ProjectUpdateImage,
    ProposerKind,
)
from projects.permissions import can_manage_district


def require_district(actor: User | None, district_id: int) -> None:
    # ``actor=None`` is the operator on the command line, who has the whole database.
    if actor is not None and not can_manage_district(actor, district_id):
        raise PermissionDenied(_("You cannot manage projects in this district."))


def check_neighborhoods(district: District, neighborhoods: Iterable[Neighborhood]) -> None:
    outside = [n.name for n in neighborhoods if n.district_id != district.pk]
    if outside:
        raise ValidationError(
            {
                "neighborhoods": _("These neighbourhoods are not in the district: %(names)s")
                % {"names": "، ".join(outside)}
            }
        )


def _places(project: Project) -> list[Neighborhood | District]:
    """The neighbourhoods of the project and its district: what people follow to hear about it."""
    return [*project.neighborhoods.all(), project.district]


def _place_name(places: list[Neighborhood | District]) -> str:
    return "، ".join(place.name for place in places)


def announce_new_project(
    *, project: Project, actor: User | None, first: Tier | None = None, exclude: Iterable[User] = ()
) -> None:
    """Tell the followers of the project's neighbourhoods and district that it exists.

    ``first`` names followers to tell before them with an event of their own
    (an organisation's followers when its plan became the project); nobody
    hears twice, and ``exclude`` (an idea's author, told otherwise) not at all.
    """
    places = _places(project)
    tiers = [(events.PLACE_PROJECT_CREATED, places)]
    if first is not None:
        tiers.insert(0, first)
    notify_subscribers(
        tiers=tiers,
        target=project,
        context={"project": project.title, "place": _place_name(places), "organization": project.proposer_name},
        url=project.get_absolute_url(),
        actor=actor,
        exclude=exclude,
    )


@transaction.atomic
def project_register(
    *,
    actor: User | None,
    project: Project,
    neighborhoods: Iterable[Neighborhood] = (),
    note: str = "",
    announce: bool = True,
) -> Project:
    """Save a new project built by a form or an import, and open its timeline with its first phase.

    The followers of its neighbourhoods and district hear about it, unless the
    caller announces it itself (``announce=False``).
    """
    require_district(actor, project.district_id)
    neighborhoods = list(neighborhoods)
    check_neighborhoods(project.district, neighborhoods)
    if project.phase == Phase.COMPLETED:
        project.progress = 100
    project.created_by = actor
    project.full_clean()
    project.save()
    project.neighborhoods.set(neighborhoods)
    PhaseChange.objects.create(project=project, from_phase="", to_phase=project.phase, note=note, changed_by=actor)
    log_action(actor=actor, action="project.created", target=project, note=note)
    if announce:
        announce_new_project(project=project, actor=actor)
    return project


def project_create(
    *,
    actor: User | None,
    title: str,
    district: District,
    description: str = "",
    category: str = Category.OTHER,
    neighborhoods: Iterable[Neighborhood] = (),
    budget: int = 0,
    responsible_unit: str = "",
    proposer_kind: str = ProposerKind.MUNICIPALITY,
    proposer_name: str = "",
    proposer_user: User | None = None,
    phase: str = Phase.PROPOSED,
    progress: int = 0,
    start_date: dt.date | None = None,
    end_date: dt.date | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
    note: str = "",
    announce: bool = True,
) -> Project:
    """Create a project from plain values; staff create only in their districts."""
    project = Project(
        title=title,
        description=description,
        category=category,
        district=district,
        budget=budget,
        responsible_unit=responsible_unit,
        proposer_kind=proposer_kind,
        proposer_name=proposer_name,
        proposer_user=proposer_user,
        phase=phase,
        progress=progress,
        start_date=start_date,
        end_date=end_date,
        latitude=latitude,
        longitude=longitude,
    )
    return project_register(actor=actor, project=project, neighborhoods=neighborhoods, note=note, announce=announce)


@transaction.atomic
def project_change_phase(*, project: Project, actor: User | None, to_phase: str, note: str = "") -> PhaseChange:
    """Move a project along the phase graph and put who, when and why on its timeline."""
    require_district(actor, project.district_id)
    locked = Project.objects.select_for_update().get(pk=project.pk)
    if to_phase not in PHASE_TRANSITIONS.get(locked.phase, ()):
        raise ValidationError(
            {
                "phase": _("A project cannot move from “%(from)s” to “%(to)s”.")
                % {
                    "from": locked.get_phase_display(),
                    "to": Phase(to_phase).label if to_phase in Phase.values else to_phase,
                }
            }
        )
    from_phase = locked.phase
    locked.phase = to_phase
    fields = ["phase", "updated_at"]
    if to_phase == Phase.COMPLETED:
        locked.progress = 100
        fields.append("progress")
    locked.save(update_fields=fields)
    change = PhaseChange.objects.create(
        project=locked, from_phase=from_phase, to_phase=to_phase, note=note.strip(), changed_by=actor
    )
    log_action(
        actor=actor,
        action="project.phase_changed",
        target=locked,
        note=note,
        changes={"phase": [from_phase, to_phase]},
    )
    notify_subscribers(
        tiers=[(events.PROJECT_PHASE_CHANGED, [locked])],
        target=locked,
        context={"project": locked.title, "phase": locked.get_phase_display()},
        url=reverse("projects:detail", args=[locked.pk]),
        actor=actor,
    )
    project.phase, project.progress = locked.phase, locked.progress
    return change


@transaction.atomic
def project_post_update(
    *,
    project: Project,
    actor: User | None,
    text: str,
    images: Iterable[File] = (),
    created_at: dt.datetime | None = None,
) -> ProjectUpdate:
    """Post an official update on the project's timeline.

    The project's followers hear about it, and so do the followers of its
    neighbourhoods and district, each person once.
    """
    require_district(actor, project.district_id)
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": _("Write the text of the update.")})
    safe_images = [validate_upload(image, kinds=IMAGE_KINDS) for image in images]
    update = ProjectUpdate.objects.create(
        project=project, author=actor, text=text, created_at=created_at or timezone.now()
    )
    for image in safe_images:
        ProjectUpdateImage.objects.create(update=update, image=image)
    log_action(actor=actor, action="project.update_posted", target=project, note=text[:200])
    places = _places(project)
    notify_subscribers(
        tiers=[(events.PROJECT_UPDATE_POSTED, [project]), (events.PLACE_PROJECT_UPDATE_POSTED, places)],
        target=project,
        context={"project": project.title, "excerpt": text[:300], "place": _place_name(places)},
        url=reverse("projects:detail", args=[project.pk]),
        actor=actor,
    )
    return update


# Fields staff edit on a project; the phase moves only through ``project_change_phase``.
_EDITABLE = (
    "title",
    "description",
    "category",
    "district",
    "budget",
    "responsible_unit",
    "proposer_kind",
    "proposer_name",
    "proposer_organization",
    "proposer_board",
    "progress",
    "start_date",
    "end_date",
    "latitude",
    "longitude",
)


def _snapshot(project: Project) -> dict[str, str]:
    return {
        name: "" if getattr(project, field.attname) is None else str(getattr(project, field.attname))
        for name in _EDITABLE
        for field in [Project._meta.get_field(name)]
    }


@transaction.atomic
def project_update(
    *, actor: User | None, project: Project, neighborhoods: Iterable[Neighborhood] | None = None
) -> Project:
    """Save staff's edits to a project, in their districts, with what changed on record.

    ``project`` carries the new values (the admin form); ``neighborhoods``
    ``None`` keeps the current ones. Counters and the phase are not touched.
    """
    stored = Project.objects.select_for_update().get(pk=project.pk)
    require_district(actor, stored.district_id)
    require_district(actor, project.district_id)
    hoods = list(stored.neighborhoods.all() if neighborhoods is None else neighborhoods)
    check_neighborhoods(project.district, hoods)
    project.phase = stored.phase
    clean_instance(project)
    project.refresh_search_fields()
    project.full_clean()
    before, after = _snapshot(stored), _snapshot(project)
    changed = [name for name in _EDITABLE if before[name] != after[name]]
    project.save(update_fields=[*changed, "updated_at"])
    changes = {name: [before[name], after[name]] for name in changed}
    old_hoods = sorted(stored.neighborhoods.values_list("pk", flat=True))
    new_hoods = sorted(h.pk for h in hoods)
    if old_hoods != new_hoods:
        project.neighborhoods.set(hoods)
        changes["neighborhoods"] = [old_hoods, new_hoods]
    if changes:
        log_action(actor=actor, action="project.changed", target=project, changes=changes)
    return project


@transaction.atomic
def project_delete(*, actor: User | None, project: Project) -> None:
    """Delete a project entered by mistake; the audit entry keeps what it was."""
    require_district(actor, project.district_id)
    log_action(actor=actor, action="project.deleted", target=project, changes={"phase": [project.phase, ""]})
    project.delete()
