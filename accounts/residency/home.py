"""Where a citizen lives: setting the home neighbourhood, the cooldown between moves, staff decisions.

Supports and ballots count where their author lived when they cast them
(``Support.district``, ``Ballot.district``); the cooldown keeps one person
from moving from district to district to take part in each. Pages, the API
and the admin all move a home through ``user_set_home``.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import ResidencyStatus, User
from accounts.permissions import can_manage_residency
from core.audit import log_action
from core.jalali import jalali_date_string, tehran_time
from places.models import CityParticipationSettings, Neighborhood


def _city_id(neighborhood_id: int | None) -> int | None:
    if neighborhood_id is None:
        return None
    return Neighborhood.objects.filter(pk=neighborhood_id).values_list("district__city_id", flat=True).first()


def home_change_after(user: User, neighborhood: Neighborhood | None = None) -> dt.datetime | None:
    """The moment from which ``user`` may choose another home; None when they may now (or have no home yet).

    The cooldown is the city's ``residency_cooldown_days``, counted from
    ``home_since``: the city of the current home, else of ``neighborhood``.
    A home cleared since keeps ``home_since``, so clearing it buys no early move.
    """
    if user.home_since is None or user.home_move_allowed:
        return None
    city_id = _city_id(user.home_neighborhood_id) or (neighborhood.district.city_id if neighborhood else None)
    days = CityParticipationSettings.for_city(city_id).residency_cooldown_days
    # From the start of a Tehran day, so the date the message names is the whole answer.
    day = tehran_time(user.home_since).date() + dt.timedelta(days=days)
    after = timezone.make_aware(dt.datetime.combine(day, dt.time.min), timezone.get_default_timezone())
    return after if days and after > timezone.now() else None


def home_cooldown_error(user: User, neighborhood: Neighborhood | None) -> ValidationError | None:
    """The refusal of a move of ``user`` to ``neighborhood`` now, as a field error; None when it is allowed.

    Forms call it to show the error before anything is saved; ``user_set_home`` asks it again.
    """
    new_id = neighborhood.pk if neighborhood is not None else None
    if new_id == user.home_neighborhood_id or neighborhood is None:
        return None  # no move, or clearing the home (which gives no vote anywhere)
    after = home_change_after(user, neighborhood)
    if after is None:
        return None
    message = _(
        "You set your home neighbourhood recently. You can choose another one from %(date)s; "
        "if you have really moved, ask your district office to allow an earlier change."
    ) % {"date": jalali_date_string(after)}
    return ValidationError({"home_neighborhood": message}, code="home_cooldown")


@transaction.atomic
def user_set_home(*, user: User, neighborhood: Neighborhood | None, actor: User | None = None) -> User:
    """Set or change ``user``'s home neighbourhood, or clear it; the one door for every home change.

    The first home is set freely; a change within the city's cooldown of
    ``home_since`` is refused with a field error naming the Jalali date it
    becomes possible, unless staff allowed an early move, which the move
    uses up. A move makes the residency merely declared again. ``actor`` is
    whoever makes the change when it is not the user (the admin).
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    new_id = neighborhood.pk if neighborhood is not None else None
    if new_id == locked.home_neighborhood_id:
        return user
    error = home_cooldown_error(locked, neighborhood)
    if error is not None:
        raise error
    used_allowance = locked.home_move_allowed and new_id is not None
    before = locked.home_neighborhood_id
    locked.home_neighborhood = neighborhood
    locked.residency_status = ResidencyStatus.DECLARED
    locked.residency_verified_at = None
    if neighborhood is not None:
        locked.home_since = timezone.now()
        locked.home_move_allowed = False
    fields = ["home_neighborhood", "home_since", "residency_status", "residency_verified_at", "home_move_allowed"]
    locked.save(update_fields=fields)
    for name in (*fields, "home_neighborhood_id"):
        setattr(user, name, getattr(locked, name))
    if hasattr(user, "_home_district_id"):
        del user._home_district_id
    if used_allowance or (actor is not None and actor.pk != user.pk):
        log_action(
            actor=actor or user,
            action="user.home_changed",
            target=locked,
            changes={"home_neighborhood": [before, new_id]},
            note=_("Early move allowed by staff") if used_allowance else "",
        )
    return user


def _require_residency_staff(actor: User, user: User) -> None:
    if user.home_neighborhood_id is None:
        raise ValidationError(_("This person has not set a home neighbourhood."))
    if not can_manage_residency(actor, user):
        raise PermissionDenied(_("You can decide only on residents of the districts you serve."))


@transaction.atomic
def residency_allow_early_move(*, actor: User, user: User, reason: str) -> User:
    """Let ``user`` change home once before the cooldown ends (someone who has really moved); on record with why."""
    locked = User.objects.select_for_update().get(pk=user.pk)
    _require_residency_staff(actor, locked)
    locked.home_move_allowed = True
    locked.save(update_fields=["home_move_allowed"])
    user.home_move_allowed = True
    log_action(actor=actor, action="user.early_move_allowed", target=locked, note=reason)
    return user


@transaction.atomic
def residency_mark_verified(*, actor: User | None, user: User, note: str = "") -> User:
    """Record that ``user`` lives in their home neighbourhood: staff saw proof, or a verifier confirmed it.

    ``actor`` ``None`` is a verifier (``accounts.residency.verifiers``); staff
    act only on residents of the districts they serve. On record either way.
    """
    locked = User.objects.select_for_update().get(pk=user.pk)
    if actor is not None:
        _require_residency_staff(actor, locked)
    elif locked.home_neighborhood_id is None:
        raise ValidationError(_("Set your home neighbourhood first."))
    locked.residency_status = ResidencyStatus.VERIFIED
    locked.residency_verified_at = timezone.now()
    locked.save(update_fields=["residency_status", "residency_verified_at"])
    user.residency_status, user.residency_verified_at = locked.residency_status, locked.residency_verified_at
    log_action(
        actor=actor or locked,
        action="user.residency_verified",
        target=locked,
        changes={"home_neighborhood": [None, locked.home_neighborhood_id]},
        note=note,
    )
    return user
