"""Profile endpoints in-process with pyinstrument, under the benchmark's settings.

Run by ``bench/run.py --profile`` with the same environment as its gunicorn
(production settings on ``civic_bench_<scale>``); reads a JSON list of
``{"name", "method", "path", "tokens", "body"}`` on stdin and writes one text profile
per endpoint into the directory given as the first argument.
"""

from __future__ import annotations

import json
import os
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")

REQUESTS = 20


def main() -> None:
    import django

    django.setup()
    from django.db import connections
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from pyinstrument import Profiler

    out_dir = Path(sys.argv[1])
    out_dir.mkdir(parents=True, exist_ok=True)
    for spec in json.load(sys.stdin):
        client = Client(HTTP_ACCEPT_LANGUAGE="fa")
        if spec.get("signed_in"):
            from accounts.models import User

            client.force_login(User.objects.filter(phone__startswith="+98937").order_by("-id").first())
        tokens = spec.get("tokens") or []
        body = spec.get("body")

        def call(i: int, spec=spec, client=client, tokens=tokens, body=body):
            method = spec["method"]
            extra = {}
            if tokens:
                # Writes rotate over many citizens, as the wrk scripts do; a toggle keeps one per pair.
                token = tokens[(i // 2 if method == "TOGGLE" else i) % len(tokens)]
                extra["HTTP_AUTHORIZATION"] = f"Token {token}"
            if method == "TOGGLE":
                method = "POST" if i % 2 == 0 else "DELETE"
            send = getattr(client, method.lower())
            if body is not None:
                return send(spec["path"], data=body.replace("{i}", str(i)), content_type="application/json", **extra)
            return send(spec["path"], **extra)

        first = call(0)  # warm caches and connections, as the wrk warm-up does
        # Count on every alias: reads may go to a replica alias.
        captures = [CaptureQueriesContext(connections[alias]) for alias in connections]
        for capture in captures:
            capture.__enter__()
        call(1)
        for capture in captures:
            capture.__exit__(None, None, None)
        query_count = sum(len(capture) for capture in captures)
        profiler = Profiler(interval=0.0005)
        profiler.start()
        for i in range(2, REQUESTS + 2):
            call(i)
        profiler.stop()
        slug = re.sub(r"[^a-z0-9]+", "-", spec["name"].lower()).strip("-")
        header = (
            f"{spec['name']}: {spec['method']} {spec['path']} -> {first.status_code}; "
            f"{query_count} SQL queries per request; {REQUESTS} requests profiled\n\n"
        )
        text = profiler.output_text(unicode=True, color=False, show_all=False)
        (out_dir / f"{slug}.txt").write_text(header + text)
        print(f"  profiled {spec['name']}: {query_count} queries", flush=True)


if __name__ == "__main__":
    main()
