"""Follows: a citizen follows a project or a neighbourhood; notifications turn them into messages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from projects.models import Follow
from projects.models.participation import FOLLOW_TARGET_FIELDS
from projects.permissions import can_follow


def follow_field(target: models.Model) -> str:
    """The Follow column that points at ``target``'s kind of object."""
    for name in FOLLOW_TARGET_FIELDS:
        if isinstance(target, Follow._meta.get_field(name).related_model):
            return name
    raise ValidationError(_("This cannot be followed."))


def is_following(*, user: User, target: models.Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return Follow.objects.filter(user=user, **{follow_field(target): target}).exists()


@transaction.atomic
def follow(*, user: User, target: models.Model) -> bool:
    """Start following ``target``; True when a new follow was recorded."""
    if not can_follow(user):
        raise PermissionDenied(_("Sign in to follow."))
    field = follow_field(target)
    try:
        with transaction.atomic():
            Follow.objects.create(user=user, **{field: target})
    except IntegrityError:
        return False
    return True


@transaction.atomic
def unfollow(*, user: User, target: models.Model) -> bool:
    """Stop following ``target``; True when a follow was removed."""
    if not can_follow(user):
        raise PermissionDenied(_("Sign in to follow."))
    deleted, _count = Follow.objects.filter(user=user, **{follow_field(target): target}).delete()
    return bool(deleted)
