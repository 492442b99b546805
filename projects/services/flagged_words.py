"""The flagged-word list: city admins keep it, each change on record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _

from accounts.models import User
from core.records import record_delete, record_save
from places.permissions import is_city_admin
from projects.models import FlaggedWord


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
