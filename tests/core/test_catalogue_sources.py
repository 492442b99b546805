"""Every translatable string is where ``makemessages`` can find it.

xgettext does not look inside f-string expressions: a ``gettext`` call there
is never extracted, so the catalogue check passes while the text stays
English (an SMS once went out half in English this way).
"""

from __future__ import annotations

import io
import re
import tokenize
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SOURCES = ("accounts", "civic_portal", "core", "neighborhoods", "ngos", "notifications", "places", "projects")
CALL_IN_FSTRING = re.compile(r"\{[^{}]*\b(_|gettext|gettext_lazy|ngettext|pgettext|gettext_noop)\(")


def test_no_translation_call_hides_inside_an_f_string():
    hidden = []
    for app in SOURCES:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            source = path.read_text(encoding="utf-8")
            for token in tokenize.generate_tokens(io.StringIO(source).readline):
                is_fstring = token.type == tokenize.STRING and re.match(r"(?i)^[rb]*f", token.string)
                if is_fstring and CALL_IN_FSTRING.search(token.string):
                    hidden.append(f"{path.relative_to(ROOT)}:{token.start[0]}")
    assert not hidden, f"move these translation calls out of f-strings, makemessages cannot see them: {hidden}"
