"""Text hygiene for citizen input and the Persian word list that sends comments to moderators."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.persian import normalize
from projects.models import FlaggedWord

# Insults and slurs that should never appear unreviewed. Staff extend the list
# in the admin (FlaggedWord); these defaults always apply. Stored normalised
# (no ZWNJ), so "بی‌شعور", "بيشعور" and "بیشعور" all match.
DEFAULT_FLAGGED_WORDS = (
    "احمق",
    "احمقها",
    "الاغ",
    "بیشعور",
    "بی شعور",
    "بیشرف",
    "بی شرف",
    "پدرسوخته",
    "پفیوز",
    "حرامزاده",
    "خر",
    "خفه شو",
    "عوضی",
    "کثافت",
    "گمشو",
    "گم شو",
    "نفهم",
    "آشغال",
    "لاشی",
    "بیناموس",
    "بی ناموس",
)

_WORD = re.compile(r"\w+")


_DEFAULTS_NORMALIZED = frozenset(normalize(w) for w in DEFAULT_FLAGGED_WORDS)
FLAGGED_WORDS_CACHE_KEY = "moderation:flagged-words"


def flagged_words() -> frozenset[str]:
    """The defaults plus the words staff added, all normalised.

    Every comment is checked against the list, which staff rarely change, so
    the staff words are kept in the shared cache; saving or deleting a
    ``FlaggedWord`` drops the cached copy (``forget_flagged_words``).
    """
    extra = cache.get(FLAGGED_WORDS_CACHE_KEY)
    if extra is None:
        extra = sorted(FlaggedWord.objects.values_list("word_normalized", flat=True))
        cache.set(FLAGGED_WORDS_CACHE_KEY, extra, None)
    return _DEFAULTS_NORMALIZED | frozenset(extra)


def forget_flagged_words(**kwargs) -> None:
    """Staff changed the word list: drop the cached copy now and once the change commits."""
    cache.delete(FLAGGED_WORDS_CACHE_KEY)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(FLAGGED_WORDS_CACHE_KEY))


def connect_signals() -> None:
    post_save.connect(forget_flagged_words, sender=FlaggedWord, dispatch_uid="moderation-flagged-words-save")
    post_delete.connect(forget_flagged_words, sender=FlaggedWord, dispatch_uid="moderation-flagged-words-delete")


def find_flagged_words(text: str, words: frozenset[str] | None = None) -> list[str]:
    """Flagged words and phrases that occur in ``text`` as whole words."""
    words = flagged_words() if words is None else words
    tokens = _WORD.findall(normalize(text))
    token_set = set(tokens)
    padded = f" {' '.join(tokens)} "
    hits = []
    for word in sorted(words):
        if (" " in word and f" {word} " in padded) or word in token_set:
            hits.append(word)
    return hits


def contains_flagged_word(text: str) -> bool:
    return bool(find_flagged_words(text))
