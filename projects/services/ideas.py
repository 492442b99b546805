"""Citizen ideas: submission in an open round, and the staff review that turns them into projects."""

from __future__ import annotations

from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User, public_name
from core.audit import log_action
from core.text import clean_text
from core.uploads import IMAGE_KINDS, validate_upload
from notifications.services import notify
from places.models import Neighborhood
from places.permissions import can_manage_city
from projects import events
from projects.models import Category, Idea, IdeaRound, IdeaStatus, Phase, Project, ProjectImage, ProposerKind
from projects.permissions import can_review_idea, can_submit_idea
from projects.services.projects import announce_new_project, project_create


@transaction.atomic
def idea_round_create(*, actor: User, city, title: str, opens_on, closes_on, description: str = "") -> IdeaRound:
    """Open a call for ideas in a city; only the city's admins may."""
    if not can_manage_city(actor, city.pk):
        raise PermissionDenied(_("You cannot open idea rounds in this city."))
    idea_round = IdeaRound(
        city=city, title=title, description=description, opens_on=opens_on, closes_on=closes_on, created_by=actor
    )
    idea_round.full_clean()
    idea_round.save()
    log_action(actor=actor, action="ideas.round_created", target=idea_round)
    return idea_round


_ROUND_FIELDS = ("city", "title", "description", "opens_on", "closes_on")


@transaction.atomic
def idea_round_update(*, actor: User, idea_round: IdeaRound) -> IdeaRound:
    """Save a city admin's edits to a call for ideas (``idea_round`` carries the new values)."""
    stored = IdeaRound.objects.select_for_update().get(pk=idea_round.pk)
    if not can_manage_city(actor, stored.city_id) or not can_manage_city(actor, idea_round.city_id):
        raise PermissionDenied(_("You cannot open idea rounds in this city."))
    idea_round.full_clean()
    attnames = {name: IdeaRound._meta.get_field(name).attname for name in _ROUND_FIELDS}
    changes = {
        name: [str(getattr(stored, attname)), str(getattr(idea_round, attname))]
        for name, attname in attnames.items()
        if getattr(stored, attname) != getattr(idea_round, attname)
    }
    if changes:
        idea_round.save(update_fields=list(changes))
        log_action(actor=actor, action="ideas.round_changed", target=idea_round, changes=changes)
    return idea_round


@transaction.atomic
def idea_round_delete(*, actor: User, idea_round: IdeaRound) -> None:
    """Delete a call for ideas nobody has answered (the database keeps rounds that have ideas)."""
    if not can_manage_city(actor, idea_round.city_id):
        raise PermissionDenied(_("You cannot open idea rounds in this city."))
    log_action(actor=actor, action="ideas.round_deleted", target=idea_round)
    idea_round.delete()


@transaction.atomic
def idea_submit(
    *,
    idea_round: IdeaRound,
    author: User,
    neighborhood: Neighborhood,
    title: str,
    description: str,
    photo: File | None = None,
    latitude: Decimal | None = None,
    longitude: Decimal | None = None,
) -> Idea:
    """A citizen proposes an idea for a neighbourhood while the city's round is open."""
    if not can_submit_idea(author):
        raise PermissionDenied(_("Sign in to submit an idea."))
    if not idea_round.is_open():
        raise ValidationError(_("This idea round is not open."), code="round_closed")
    if neighborhood.district.city_id != idea_round.city_id:
        raise ValidationError({"neighborhood": _("Choose a neighbourhood of the round's city.")})
    title, description = clean_text(title), clean_text(description)
    if not title:
        raise ValidationError({"title": _("Give your idea a title.")})
    if not description:
        raise ValidationError({"description": _("Describe your idea.")})
    idea = Idea(
        round=idea_round,
        author=author,
        neighborhood=neighborhood,
        title=title,
        description=description,
        latitude=latitude,
        longitude=longitude,
    )
    if photo:
        idea.photo = validate_upload(photo, kinds=IMAGE_KINDS)
    idea.full_clean()
    idea.save()
    return idea


def _require_reviewer(actor: User, idea: Idea) -> Idea:
    if not can_review_idea(actor, idea):
        raise PermissionDenied(_("You cannot review ideas in this district."))
    locked = Idea.objects.select_for_update(of=("self",)).select_related("neighborhood__district").get(pk=idea.pk)
    if locked.status != IdeaStatus.SUBMITTED:
        raise ValidationError(_("This idea has already been reviewed."), code="reviewed")
    return locked


@transaction.atomic
def idea_accept(*, idea: Idea, actor: User, category: str = Category.OTHER, budget: int = 0, note: str = "") -> Project:
    """Accept an idea: it becomes a proposed project that keeps a link back to it."""
    locked = _require_reviewer(actor, idea)
    project = project_create(
        actor=actor,
        title=locked.title,
        description=locked.description,
        district=locked.neighborhood.district,
        neighborhoods=[locked.neighborhood],
        category=category,
        budget=budget,
        proposer_kind=ProposerKind.CITIZEN,
        proposer_name=public_name(locked.author),
        proposer_user=locked.author,
        phase=Phase.PROPOSED,
        latitude=locked.latitude,
        longitude=locked.longitude,
        note=note or _("From a citizen's idea."),
        announce=False,
    )
    if locked.photo:
        with locked.photo.open("rb") as source:
            copy = ContentFile(source.read(), name=locked.photo.name.rsplit("/", 1)[-1])
        ProjectImage.objects.create(project=project, image=copy, caption=locked.title[:200])
    locked.status = IdeaStatus.ACCEPTED
    locked.project = project
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.review_reason = clean_text(note)
    locked.save(update_fields=["status", "project", "reviewed_by", "reviewed_at", "review_reason"])
    log_action(actor=actor, action="ideas.accepted", target=locked, note=note)
    notify(
        event=events.IDEA_ACCEPTED,
        recipients=[locked.author],
        target=project,
        context={"idea": locked.title},
        url=reverse("projects:detail", args=[project.pk]),
        actor=actor,
    )
    # Its author has just been told; the followers of the neighbourhood hear of a new project.
    announce_new_project(project=project, actor=actor, exclude=[locked.author])
    idea.status, idea.project = locked.status, project
    return project


@transaction.atomic
def idea_return(*, idea: Idea, actor: User, reason: str) -> Idea:
    """Return an idea to its author with a reason they will see."""
    reason = clean_text(reason)
    if not reason:
        raise ValidationError({"reason": _("Give the reason for returning the idea; its author will see it.")})
    locked = _require_reviewer(actor, idea)
    locked.status = IdeaStatus.RETURNED
    locked.review_reason = reason
    locked.reviewed_by = actor
    locked.reviewed_at = timezone.now()
    locked.save(update_fields=["status", "review_reason", "reviewed_by", "reviewed_at"])
    log_action(actor=actor, action="ideas.returned", target=locked, note=reason)
    notify(
        event=events.IDEA_RETURNED,
        recipients=[locked.author],
        target=locked,
        context={"idea": locked.title, "reason": reason},
        url=reverse("projects:ideas"),
        actor=actor,
    )
    idea.status, idea.review_reason = locked.status, reason
    return locked
