"""City participation settings and the flagged-word list: city admins keep them, each change on record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.records import record_delete, record_save
from projects.models import CityParticipationSettings, FlaggedWord
from projects.permissions import can_manage_city, is_city_admin


def _require_city(actor: User, city_id: int | None) -> None:
    if not can_manage_city(actor, city_id):
        raise PermissionDenied(_("You cannot change the settings of this city."))


@transaction.atomic
def city_settings_save(*, actor: User, settings: CityParticipationSettings) -> CityParticipationSettings:
    """Create or change a city's moderation and support rules."""
    if settings.pk is not None:
        _require_city(actor, CityParticipationSettings.objects.get(pk=settings.pk).city_id)
    _require_city(actor, settings.city_id)
    return record_save(actor=actor, record=settings)


@transaction.atomic
def city_settings_delete(*, actor: User, settings: CityParticipationSettings) -> None:
    """Back to the defaults for the city."""
    _require_city(actor, settings.city_id)
    record_delete(actor=actor, record=settings)


def _require_word_list(actor: User) -> None:
    if not is_city_admin(actor):
        raise PermissionDenied(_("Only city admins can change the word list."))


def flagged_word_save(*, actor: User, word: FlaggedWord) -> FlaggedWord:
    """Add or change a word that holds comments for moderation (one list for the installation)."""
    _require_word_list(actor)
    return record_save(actor=actor, record=word)


def flagged_word_delete(*, actor: User, word: FlaggedWord) -> None:
    _require_word_list(actor)
    record_delete(actor=actor, record=word)
