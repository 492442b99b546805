"""The benchmark's floor: the cheapest response this Django stack can give.

Mounted at /bench/floor only when the BENCHMARK setting is on. It passes the
same middleware as every page but touches neither the database nor templates,
so page throughput divided by its throughput compares across machines.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse


def floor(request: HttpRequest) -> HttpResponse:
    return HttpResponse("ok\n", content_type="text/plain; charset=utf-8")
