"""What the request-metrics middleware costs: the same cheap page with and without it.

    BENCHMARK=true python bench/metrics_overhead.py [requests]

Runs in-process through django.test.Client against /bench/floor (no database,
no template), so the difference is the middleware alone: the timer, the
query-counter wrapper and two label look-ups. Each variant runs alternately
several times and the best run counts, to keep a busy machine's noise out.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")
os.environ.setdefault("SECRET_KEY", "bench-only")
os.environ.setdefault("BENCHMARK", "true")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import override_settings  # noqa: E402

MIDDLEWARE = "core.metrics.RequestMetricsMiddleware"


def run(requests: int, middleware: list[str]) -> float:
    with override_settings(MIDDLEWARE=middleware):
        client = Client()
        client.get("/bench/floor")  # build the middleware chain once
        start = time.perf_counter()
        for _ in range(requests):
            client.get("/bench/floor")
        return (time.perf_counter() - start) / requests


def main() -> None:
    requests = int(sys.argv[1]) if len(sys.argv) > 1 else 2000
    with_it = list(settings.MIDDLEWARE)
    without = [name for name in with_it if name != MIDDLEWARE]
    runs: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(5):
        runs["without"].append(run(requests, without))
        runs["with"].append(run(requests, with_it))
    best = {name: min(times) for name, times in runs.items()}
    median = {name: statistics.median(times) for name, times in runs.items()}
    for name in ("without", "with"):
        print(f"{name:8} best {best[name] * 1e6:7.1f} µs/request, median {median[name] * 1e6:7.1f} µs/request")
    print(f"overhead  {(best['with'] - best['without']) * 1e6:.1f} µs/request (best of 5 × {requests} requests)")


if __name__ == "__main__":
    main()
