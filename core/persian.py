"""The one Persian text normaliser, used when text is stored and when it is searched.

Both sides must agree, so nothing else in the code base folds Persian text.
"""

from __future__ import annotations

import re
import unicodedata

from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import translation

from core.text import BIDI_CONTROLS

# Arabic letters that Persian keyboards and old systems produce for Persian ones.
_LETTERS = {
    "\u064a": "\u06cc",  # ي ARABIC YEH -> ی
    "\u0649": "\u06cc",  # ى ALEF MAKSURA -> ی
    "\u06d2": "\u06cc",  # ے YEH BARREE -> ی
    "\u0643": "\u06a9",  # ك ARABIC KAF -> ک
    "\u0629": "\u0647",  # ة TEH MARBUTA -> ه
    "\u06c0": "\u0647",  # ۀ HEH WITH YEH ABOVE -> ه
    "\u0623": "\u0627",  # أ -> ا
    "\u0625": "\u0627",  # إ -> ا
    "\u0671": "\u0627",  # ٱ -> ا
    "\u0624": "\u0648",  # ؤ -> و
}
_PERSIAN_DIGITS = "۰۱۲۳۴۵۶۷۸۹"
_ARABIC_DIGITS = "٠١٢٣٤٥٦٧٨٩"
_DIGITS = {ord(c): str(i) for i, c in enumerate(_PERSIAN_DIGITS)}
_DIGITS.update({ord(c): str(i) for i, c in enumerate(_ARABIC_DIGITS)})
_TABLE = {ord(k): v for k, v in _LETTERS.items()} | _DIGITS

# Characters dropped entirely: ZWNJ/ZWJ and other zero-width marks, tatweel,
# bidi controls, and every combining mark (harakat, hamza above, shadda...).
_DROP = {
    "\u200c",  # ZWNJ
    "\u200d",  # ZWJ
    "\u200b",  # zero width space
    "\u200e",  # LRM
    "\u200f",  # RLM
    "\u2060",  # word joiner
    "\ufeff",  # BOM
    "\u0640",  # tatweel
    *BIDI_CONTROLS,  # embeddings, overrides and isolates
}
_WHITESPACE = re.compile(r"\s+")

REMOVED_CHARACTERS = frozenset(_DROP)
FOLDED_CHARACTERS = frozenset(_LETTERS) | frozenset(_PERSIAN_DIGITS) | frozenset(_ARABIC_DIGITS)


def normalize(text: str | None) -> str:
    """Fold ``text`` to its canonical searchable form.

    Arabic ي/ك become Persian ی/ک, Persian and Arabic-Indic digits become
    ASCII, ZWNJ, tatweel, bidi controls and diacritics are dropped, case is
    folded and runs of whitespace become one space.
    """
    if not text:
        return ""
    result = str(text)
    # Dropping a character can bring two others together that NFKC then
    # composes, so repeat the pass until it is stable (once or twice in practice).
    for _ in range(8):
        folded = _fold_once(result)
        if folded == result:
            break
        result = folded
    return result


def _fold_once(text: str) -> str:
    # NFKC first so presentation forms (ﻙ, ﯼ) become their base letters.
    text = unicodedata.normalize("NFKC", text).casefold()
    text = unicodedata.normalize("NFKC", text).translate(_TABLE)
    text = "".join(ch for ch in text if ch not in _DROP and not unicodedata.combining(ch))
    return _WHITESPACE.sub(" ", text).strip()


def to_ascii_digits(text: str) -> str:
    """Persian and Arabic-Indic digits to ASCII; nothing else changes."""
    return str(text).translate(_DIGITS)


_TO_PERSIAN = {ord(str(i)): c for i, c in enumerate(_PERSIAN_DIGITS)}


def to_persian_digits(text: object) -> str:
    """ASCII digits to Persian digits, for display."""
    return str(text).translate(_TO_PERSIAN)


def persian_active() -> bool:
    """Whether what is shown now is Persian: pages, emails and messages follow the active language."""
    return (translation.get_language() or "fa").startswith("fa")


def localize_digits(value: object) -> str:
    """Persian digits when the active language is Persian; English keeps ASCII digits."""
    text = str(value)
    return to_persian_digits(text) if persian_active() else text


def format_number(value: object) -> str:
    """A number for people: thousands separators, then digits of the active language (``۱٬۲۵۰٬۰۰۰``)."""
    if value is None or value == "":
        return ""
    text = intcomma(value, use_l10n=False)
    if persian_active():
        text = text.replace(",", "٬")
    return localize_digits(text)


# The Persian alphabet in dictionary order; Python's code-point order puts پ چ ژ گ after ی.
_ALPHABET = "آابپتثجچحخدذرزژسشصضطظعغفقکگلمنوهی"
_RANK = {ch: 1000 + i for i, ch in enumerate(_ALPHABET)}


def sort_key(text: str | None) -> tuple[int, ...]:
    """Order names as a Persian dictionary does (آ ا ب پ … گ … ی), on their normalised form."""
    return tuple(_RANK.get(ch, ord(ch) if ord(ch) < 128 else 2000 + ord(ch)) for ch in normalize(text))
