"""Supports (votes) for projects: one per citizen, counted exactly under concurrency."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils.translation import gettext as _

from accounts.identity import person_key
from accounts.models import User
from accounts.permissions import refuse
from core.pagecache import bumps_batched
from projects.models import Project, Support
from projects.permissions import support_denial_reason
from projects.topics import bump_project


def _current_count(project: Project) -> int:
    count = Project.objects.filter(pk=project.pk).values_list("support_count", flat=True).get()
    project.support_count = count
    return count


@transaction.atomic
@bumps_batched()
def support_cast(*, project: Project, user: User) -> bool:
    """Support a project; True when a new support was recorded, False when it already existed.

    The unique constraints decide races: of two simultaneous inserts for one
    citizen only one succeeds, and only a successful insert moves the counter.
    A support left by a deleted account with the same mobile number counts as
    this person's: a new account buys no second support.
    """
    reason = support_denial_reason(user, project)
    if reason:
        refuse(reason, code="not_supportable")
    home = user.home_neighborhood
    try:
        with transaction.atomic():
            Support.objects.create(
                project=project,
                user=user,
                voter_key=person_key(user.phone),
                district_id=home.district_id if home else None,
            )
    except IntegrityError:
        if not Support.objects.filter(project=project, user=user).exists():
            raise ValidationError(
                _("This mobile number has already supported this project."), code="already_supported"
            ) from None
        _current_count(project)
        return False
    Project.objects.filter(pk=project.pk).update(support_count=F("support_count") + 1)
    bump_project(project.pk)  # the counter moved after the row's own signal
    _current_count(project)
    return True


@transaction.atomic
@bumps_batched()
def support_withdraw(*, project: Project, user: User) -> bool:
    """Withdraw a support; True when one was removed. Allowed only while supports are open."""
    reason = support_denial_reason(user, project)
    if reason:
        refuse(reason, code="not_supportable")
    deleted, _ = Support.objects.filter(project=project, user=user).delete()
    if deleted:
        Project.objects.filter(pk=project.pk).update(support_count=F("support_count") - deleted)
        bump_project(project.pk)
    _current_count(project)
    return bool(deleted)
