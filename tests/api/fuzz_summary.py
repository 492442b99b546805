"""The end-of-run table of the schema fuzzing: operations × personas, with the status codes received.

Each persona's test keeps its tally in its report's ``user_properties`` (which
pytest-xdist carries back from the workers); ``tests/conftest.py`` prints it.
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict

SUMMARY_KEY = "schema_fuzz"
PERSONA_ORDER = ("anonymous", "citizen", "manager", "staff")


def summary_lines(properties: list[str]) -> list[str]:
    """One line per operation, one column per persona; a cell reads ``200×5 404×2``."""
    latest: dict[str, dict] = {}
    for text in properties:
        data = json.loads(text)
        total = sum(sum(counts.values()) for counts in data["counts"].values())
        if total >= latest.get(data["persona"], {}).get("total", -1):
            latest[data["persona"]] = {**data, "total": total}
    personas = sorted(latest, key=lambda p: (PERSONA_ORDER.index(p) if p in PERSONA_ORDER else 99, p))
    table: dict[str, dict[str, Counter]] = defaultdict(dict)
    for persona in personas:
        for label, counts in latest[persona]["counts"].items():
            table[label][persona] = Counter({int(code): n for code, n in counts.items()})
    lines = [" | ".join(["operation", *personas])]
    for label in sorted(table, key=lambda op: (op.partition(" ")[2], op)):
        cells = [_cell(table[label].get(persona, Counter())) for persona in personas]
        lines.append(" | ".join([label, *cells]))
    requests = sum(latest[p]["total"] for p in personas)
    lines.append(f"{len(table)} operations, {requests} requests")
    return lines


def _cell(counts: Counter) -> str:
    return " ".join(f"{code}×{n}" for code, n in sorted(counts.items())) or "-"
