"""Count how many ordinary comments a flagged-word list holds back, for the old list and the current one.

Runs the matcher (``projects.moderation.find_flagged_words``) over the demo
comments (``projects/demo/texts.py``) and over ``bench/data/civic_complaints_fa.txt`` (ordinary complaints,
one a line). Every hold of an ordinary sentence is a false hold: a citizen
whose complaint waits for a moderator for nothing. The figures are in docs/moderation.md.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from core.persian import normalize
from projects.demo.texts import ABUSIVE_COMMENTS, COMMENTS, REPLIES
from projects.moderation import DEFAULT_FLAGGED_WORDS, find_flagged_words

SAMPLE = Path(settings.BASE_DIR) / "bench" / "data" / "civic_complaints_fa.txt"

# The built-in list as it was before each city kept its own (kept here only to measure against).
OLD_FLAGGED_WORDS = (
    "احمق", "احمقها", "الاغ", "بیشعور", "بی شعور", "بیشرف", "بی شرف", "پدرسوخته", "پفیوز", "حرامزاده", "خر",
    "خفه شو", "عوضی", "کثافت", "گمشو", "گم شو", "نفهم", "آشغال", "لاشی", "بیناموس", "بی ناموس",
)  # fmt: skip


def read_sample(path: Path = SAMPLE) -> list[str]:
    lines = (line.strip() for line in path.read_text(encoding="utf-8").splitlines())
    return [line for line in lines if line and not line.startswith("#")]


def measure(texts: list[str], words: frozenset[str]) -> list[tuple[str, list[str]]]:
    """The texts the list holds, each with the words that hold it."""
    held = ((text, find_flagged_words(text, words=words)) for text in texts)
    return [(text, hits) for text, hits in held if hits]


class Command(BaseCommand):
    help = "Count false holds of the old and the current built-in flagged-word lists on ordinary complaints."

    def add_arguments(self, parser):
        parser.add_argument("--show", action="store_true", help="List every held sentence with its words.")

    def handle(self, *args, **options):
        lists = {
            "old": frozenset(normalize(w) for w in OLD_FLAGGED_WORDS),
            "new": frozenset(normalize(w) for w in DEFAULT_FLAGGED_WORDS),
        }
        sets = {
            "demo ordinary": [*COMMENTS, *REPLIES],
            "sample ordinary": read_sample(),
            "demo abusive": list(ABUSIVE_COMMENTS),
        }
        self.stdout.write(f"{'set':<16} {'list':<4} {'held/total':>11}")
        for set_name, texts in sets.items():
            for list_name, words in lists.items():
                held = measure(texts, words)
                self.stdout.write(f"{set_name:<16} {list_name:<4} {len(held):>5}/{len(texts):<5}")
                if options["show"]:
                    for text, hits in held:
                        self.stdout.write(f"    {'، '.join(hits)}: {text}")
        self.stdout.write("Held ordinary sentences are false holds; held abusive ones are the list doing its job.")
