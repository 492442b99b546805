"""Text hygiene for citizen input and the Persian word list that sends comments to moderators."""

from __future__ import annotations

import re

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from core.persian import normalize
from places.models import City, CityParticipationSettings
from projects.models import FlaggedWord

# Insults, slurs and abusive phrases that have no everyday meaning in a complaint
# about a street, a park or a bus line. Words that do (آشغال: «سطل آشغال»,
# کثافت: «کثافت کوچه را گرفته», خر: «خر» beside «خرابی», عوضی: «آدرس را عوضی
# نوشته‌اند», الاغ and other animals) held back ordinary comments and are left
# out; a phrase keeps them where they can only insult («آشغال عوضی»).
# Each city adds its own words in the admin (FlaggedWord) and may switch these
# off (CityParticipationSettings.use_default_flagged_words). Stored normalised
# (no ZWNJ), so "بی‌شعور", "بيشعور" and "بیشعور" all match.
# ``manage.py moderation_false_holds`` measures the list against ordinary complaints.
DEFAULT_FLAGGED_WORDS = (
    "احمق",
    "احمقها",
    "بیشعور",
    "بی شعور",
    "بیشعورها",
    "بیشرف",
    "بی شرف",
    "بیشرفها",
    "بیناموس",
    "بی ناموس",
    "بیپدر",
    "بی پدر",
    "بیپدر و مادر",
    "بی پدر و مادر",
    "پدرسوخته",
    "پدرسگ",
    "پفیوز",
    "حرامزاده",
    "حرامزادهها",
    "حرومزاده",
    "خفه شو",
    "خفه شید",
    "خفه شوید",
    "خفه خون بگیر",
    "آشغال عوضی",
    "آدم عوضی",
    "مرتیکه عوضی",
    "زنیکه عوضی",
    "کثافت عوضی",
    "مرتیکه",
    "مرتیکه الدنگ",
    "زنیکه",
    "الدنگ",
    "گمشو",
    "گم شو",
    "گمشید",
    "گم شید",
    "لاشی",
    "خاک بر سرت",
    "خاک تو سرت",
    "خاک بر سرتان",
    "خاک تو سرتون",
    "کودن",
    "دیوث",
    "بیغیرت",
    "بی غیرت",
    "جاکش",
    "کسکش",
    "مادرجنده",
    "جنده",
    "ننه سگ",
)

_WORD = re.compile(r"\w+")

_DEFAULTS_NORMALIZED = frozenset(normalize(w) for w in DEFAULT_FLAGGED_WORDS)


def flagged_words_cache_key(city_id: int | None) -> str:
    return f"moderation:flagged-words:{city_id or 0}"


def city_flagged_words(city_id: int | None) -> frozenset[str]:
    """The words a city's admins added, normalised, from the shared cache.

    Every comment is checked against its city's list, which admins rarely
    change; saving or deleting a ``FlaggedWord`` drops that city's cached copy.
    """
    if not city_id:
        return frozenset()
    key = flagged_words_cache_key(city_id)
    words = cache.get(key)
    if words is None:
        words = sorted(FlaggedWord.objects.filter(city_id=city_id).values_list("word_normalized", flat=True))
        cache.set(key, words, None)
    return frozenset(words)


def flagged_words(city_id: int | None = None, *, use_defaults: bool | None = None) -> frozenset[str]:
    """What holds a comment in the city: its own words, plus the built-in list unless the city switched it off.

    ``use_defaults`` is the city's setting when the caller already has it (no query); otherwise it is read.
    """
    if use_defaults is None:
        use_defaults = CityParticipationSettings.for_city(city_id).use_default_flagged_words
    own = city_flagged_words(city_id)
    return _DEFAULTS_NORMALIZED | own if use_defaults else own


def forget_flagged_words(sender=None, instance=None, **kwargs) -> None:
    """A city's admins changed its word list: drop the cached copy now and once the change commits."""
    key = flagged_words_cache_key(getattr(instance, "city_id", None))
    cache.delete(key)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete(key))


def connect_signals() -> None:
    post_save.connect(forget_flagged_words, sender=FlaggedWord, dispatch_uid="moderation-flagged-words-save")
    post_delete.connect(forget_flagged_words, sender=FlaggedWord, dispatch_uid="moderation-flagged-words-delete")


def find_flagged_words(text: str, city: City | int | None = None, *, words: frozenset[str] | None = None) -> list[str]:
    """Flagged words and phrases of ``city`` (or ``words``) that occur in ``text`` as whole words."""
    if words is None:
        words = flagged_words(city.pk if isinstance(city, City) else city)
    tokens = _WORD.findall(normalize(text))
    token_set = set(tokens)
    padded = f" {' '.join(tokens)} "
    hits = []
    for word in sorted(words):
        if (" " in word and f" {word} " in padded) or word in token_set:
            hits.append(word)
    return hits


def contains_flagged_word(text: str, city: City | int | None = None, *, words: frozenset[str] | None = None) -> bool:
    return bool(find_flagged_words(text, city, words=words))
