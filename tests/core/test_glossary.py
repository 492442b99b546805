"""One Persian word per concept: the catalogues and the Persian text in code use GLOSSARY.md's words."""

from __future__ import annotations

import re
from pathlib import Path

import polib
import pytest

from tests.glossary import ruled_out_words

ROOT = Path(__file__).resolve().parents[2]
CATALOGUES = sorted((ROOT / "locale" / "fa" / "LC_MESSAGES").glob("*.po"))
APPS = ("accounts", "civic_portal", "core", "neighborhoods", "ngos", "notifications", "places", "projects", "templates")
PERSIAN_STRING = re.compile(r"[\"'«][^\"'\n]*[\u0600-\u06FF][^\"'\n]*[\"'»]")


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.name)
def test_every_persian_message_uses_the_glossary_words(path):
    found = []
    for entry in polib.pofile(str(path)):
        for text in [entry.msgstr, *entry.msgstr_plural.values()]:
            found += [f"{entry.msgid[:50]!r}: {word}" for word in ruled_out_words(text)]
    assert not found, f"{len(found)} messages use a word the glossary rules out:\n" + "\n".join(found)


def test_persian_text_in_code_and_templates_uses_the_glossary_words():
    """Demo rows, seed text and templates speak to the same people as the catalogue does."""
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*")):
            if path.suffix not in {".py", ".html", ".txt"} or "migrations" in path.parts:
                continue
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for literal in PERSIAN_STRING.findall(line):
                    found += [f"{path.relative_to(ROOT)}:{number}: {word}" for word in ruled_out_words(literal)]
    assert not found, "\n".join(found)


def test_the_check_catches_each_ruled_out_word_and_spares_legal_names():
    assert ruled_out_words("گذرواژه را فراموش کرده‌اید؟")
    assert ruled_out_words("هیچ سازمانی یافت نشد")
    assert ruled_out_words("فهرست منطقه‌ها")
    assert not ruled_out_words("سمن (سازمان مردم‌نهاد) و سازمان‌های مردم‌نهاد")
    assert not ruled_out_words("سازمان بوستان‌ها و فضای سبز شهر تهران")
    assert not ruled_out_words("شمارهٔ تلفن همراه و رمز عبور")


def test_the_umbrella_word_for_an_organisation_is_tashakkol():
    """«سازمان مردم‌نهاد» is one kind (an NGO); the umbrella of NGOs, charities and assemblies is «تشکل مردمی»."""
    catalogue = polib.pofile(str(ROOT / "locale" / "fa" / "LC_MESSAGES" / "django.po"))
    for msgid in ("organisation", "Organisation", "organisations", "Organisations"):
        entry = catalogue.find(msgid)
        assert entry is not None and entry.msgstr.startswith("تشکل"), (msgid, entry and entry.msgstr)
