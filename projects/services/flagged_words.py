"""Each city's flagged-word list: that city's admins keep it, each change on record."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from core.records import record_delete, record_save
from places.permissions import can_manage_city
from projects.models import FlaggedWord
from projects.moderation import forget_flagged_words


def _require_word_list(actor: User, city_id: int | None) -> None:
    if city_id is None or not can_manage_city(actor, city_id):
        raise PermissionDenied(_("Only the city's admins can change its word list."))


def flagged_word_duplicate(word: FlaggedWord) -> bool:
    """Whether the city's list already holds the word (as normalised), so the form can say so calmly."""
    word.refresh_normalized()
    same = FlaggedWord.objects.filter(city_id=word.city_id, word_normalized=word.word_normalized)
    return same.exclude(pk=word.pk).exists() if word.pk else same.exists()


@transaction.atomic
def flagged_word_save(*, actor: User, word: FlaggedWord) -> FlaggedWord:
    """Add or change a word that holds comments for moderation in one city.

    A change must be allowed for the row as stored and as it will be, so no
    admin moves a word into or out of another city's list.
    """
    stored_city_id = FlaggedWord.objects.get(pk=word.pk).city_id if word.pk is not None else None
    if stored_city_id is not None:
        _require_word_list(actor, stored_city_id)
    _require_word_list(actor, word.city_id)
    if flagged_word_duplicate(word):
        raise ValidationError({"word": _("This word is already on the city's list.")}, code="duplicate")
    saved = record_save(actor=actor, record=word)
    if stored_city_id is not None and stored_city_id != word.city_id:
        forget_flagged_words(instance=FlaggedWord(city_id=stored_city_id))  # the list it left
    return saved


@transaction.atomic
def flagged_word_delete(*, actor: User, word: FlaggedWord) -> None:
    _require_word_list(actor, word.city_id)
    record_delete(actor=actor, record=word)
