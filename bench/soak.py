"""The soak test: production settings under 50 citizens reading and writing for five minutes.

One command, from the repository root:

    .venv/bin/python bench/soak.py                    # 50 users, 300 s, port 8160
    .venv/bin/python bench/soak.py --users 50 --duration 300 --port 8160 --db civic_soak

It makes a fresh PostgreSQL database, migrates it, loads the demo data (and
the ``district`` scale) plus signed-in soak citizens, collects static files,
starts its own Redis, a Celery worker (with beat) and gunicorn with
``gunicorn.conf.py`` and DEBUG off, then runs locust headless
(``bench/locustfile.py``). Every few seconds it samples the RSS of each
gunicorn worker. Gunicorn's worker recycling (``max_requests``) is switched
off for the run, so a leak shows instead of being recycled away.

It prints requests, failures, requests per second, p50/p95/p99, server
errors in the access log, and each worker's RSS after the warm-up and at the
end, and exits 1 when any request failed, the server answered 5xx, or a
worker grew by more than ``--max-growth`` (20 %). Logs and CSVs stay in
``var/soak/<time>/``. Needs the PostgreSQL client tools (createdb, dropdb)
and redis-server on the PATH.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import re
import secrets
import signal
import subprocess
import sys
import threading
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import psutil

ROOT = Path(__file__).resolve().parent.parent
VENV_BIN = Path(sys.executable).parent


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent locust users (50)")
    parser.add_argument("--spawn-rate", type=float, default=10, help="users started per second (10)")
    parser.add_argument("--duration", type=int, default=300, help="seconds of load (300)")
    parser.add_argument("--warmup", type=int, default=60, help="seconds before the baseline RSS sample (60)")
    parser.add_argument("--sample-every", type=float, default=5, help="seconds between RSS samples (5)")
    parser.add_argument("--port", type=int, default=8160, help="gunicorn port (8160)")
    parser.add_argument("--redis-port", type=int, default=6399, help="port of the soak's own redis-server (6399)")
    parser.add_argument("--pg", default="postgres://postgres@127.0.0.1:5432", help="PostgreSQL server URL")
    parser.add_argument("--db", default="civic_soak", help="database to (re)create (civic_soak)")
    parser.add_argument("--scale", default="district", choices=["district", "none"], help="synthetic data scale")
    parser.add_argument("--citizens", type=int, default=1000, help="signed-in soak citizens (1000)")
    parser.add_argument("--trustees", type=int, default=100, help="of them, board members filing needs (100)")
    parser.add_argument("--max-growth", type=float, default=0.20, help="largest accepted worker RSS growth (0.20)")
    return parser.parse_args(argv)


@dataclass
class Run:
    args: argparse.Namespace
    dir: Path
    env: dict[str, str]
    procs: list[subprocess.Popen] = field(default_factory=list)
    rss: dict[int, list[tuple[float, int]]] = field(default_factory=dict)  # worker pid → (t, bytes)
    celery_rss: list[tuple[float, int]] = field(default_factory=list)
    load: list[tuple[float, float]] = field(default_factory=list)
    started: float = 0.0
    cpu: dict[str, float] = field(default_factory=dict)

    def log(self, message: str) -> None:
        print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)

    def run(self, *cmd: str, quiet: bool = False) -> str:
        result = subprocess.run(cmd, cwd=ROOT, env=self.env, capture_output=True, text=True)  # noqa: S603
        if result.returncode != 0:
            raise SystemExit(f"{' '.join(cmd)} failed:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
        if not quiet and result.stdout.strip():
            print(result.stdout.strip()[-1500:], flush=True)
        return result.stdout

    def start(self, name: str, *cmd: str) -> subprocess.Popen:
        log = (self.dir / f"{name}.log").open("w")
        proc = subprocess.Popen(cmd, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)  # noqa: S603
        self.procs.append(proc)
        return proc

    def stop_all(self) -> None:
        for proc in reversed(self.procs):
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
        for proc in reversed(self.procs):
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


def environment(args: argparse.Namespace, run_dir: Path) -> dict[str, str]:
    pg = args.pg.rstrip("/")
    env = {k: v for k, v in os.environ.items() if k not in {"CACHE_URL", "DJANGO_SETTINGS_MODULE"}}
    env.update(
        {
            "DATABASE_URL": f"{pg}/{args.db}",
            "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
            "DEBUG": "false",
            "SECRET_KEY": secrets.token_urlsafe(50),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            # Production: TLS ends at the load balancer, which says so in X-Forwarded-Proto.
            "HTTPS": "true",
            "BEHIND_PROXY": "true",
            "SITE_URL": f"https://127.0.0.1:{args.port}",
            "VAR_DIR": str(run_dir),
            "STATIC_ROOT": str(run_dir / "static"),
            "MEDIA_ROOT": str(run_dir / "media"),
            "PRIVATE_MEDIA_ROOT": str(run_dir / "private"),
            "EMAIL_BACKEND": "filebased",
            "EMAIL_FILE_PATH": str(run_dir / "mail"),
            "LOG_LEVEL": "WARNING",
            "GUNICORN_BIND": f"127.0.0.1:{args.port}",
            "GUNICORN_ACCESS_LOG": str(run_dir / "access.log"),
            # No recycling during the soak: a leak must show, not be restarted away.
            "GUNICORN_MAX_REQUESTS": "0",
            "GUNICORN_MAX_REQUESTS_JITTER": "0",
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def fresh_database(run: Run) -> None:
    url = urlsplit(run.args.pg)
    conn = ["-h", url.hostname or "127.0.0.1", "-p", str(url.port or 5432), "-U", url.username or "postgres"]
    run.run("dropdb", *conn, "--if-exists", run.args.db)
    run.run("createdb", *conn, run.args.db)


def wait_for_health(run: Run, url: str, timeout: float = 60) -> dict:
    deadline = time.monotonic() + timeout
    last = ""
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})  # noqa: S310
            with urllib.request.urlopen(request, timeout=5) as response:  # noqa: S310
                return json.loads(response.read())
        except Exception as exc:  # noqa: BLE001 - not up yet
            last = str(exc)
            time.sleep(0.5)
    raise SystemExit(f"{url} did not answer 200 within {timeout} s: {last}")


def sample(run: Run, master: psutil.Process, celery: psutil.Process, stop: threading.Event) -> None:
    """Every worker's RSS, the Celery worker's and the machine load, until ``stop``."""
    while not stop.is_set():
        now = time.monotonic() - run.started
        for child in master.children():
            try:
                run.rss.setdefault(child.pid, []).append((now, child.memory_info().rss))
            except psutil.NoSuchProcess:
                pass
        try:
            run.celery_rss.append((now, sum(p.memory_info().rss for p in [celery, *celery.children()])))
        except psutil.NoSuchProcess:
            pass
        run.load.append((now, os.getloadavg()[0]))
        stop.wait(run.args.sample_every)


def worker_cpu_seconds(master: psutil.Process) -> float:
    total = 0.0
    for child in master.children():
        try:
            times = child.cpu_times()
        except psutil.NoSuchProcess:
            continue
        total += times.user + times.system
    return total


def locust_summary(prefix: Path) -> dict:
    with (prefix.parent / f"{prefix.name}_stats.csv").open() as file:
        rows = list(csv.DictReader(file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    failures_file = prefix.parent / f"{prefix.name}_failures.csv"
    failures = list(csv.DictReader(failures_file.open())) if failures_file.exists() else []
    return {
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": float(total["50%"]),
        "p95": float(total["95%"]),
        "p99": float(total["99%"]),
        "max": float(total["Max Response Time"]),
        "by_name": {
            f"{row['Type']} {row['Name']}": (int(row["Request Count"]), int(row["Failure Count"]), float(row["95%"]))
            for row in rows
            if row["Name"] != "Aggregated"
        },
        "failure_kinds": [(row["Method"], row["Name"], row["Error"], row["Occurrences"]) for row in failures],
    }


def server_errors(access_log: Path) -> int:
    status = re.compile(r'" (\d{3}) ')
    count = 0
    with access_log.open(encoding="utf-8", errors="replace") as file:
        for line in file:
            match = status.search(line)
            if match and match.group(1).startswith("5"):
                count += 1
    return count


def rss_at(series: list[tuple[float, int]], t: float) -> int:
    """The first sample at or after ``t`` (the last one when the series ends before)."""
    return next((value for when, value in series if when >= t), series[-1][1])


OUTBOX_SCRIPT = """
import django, json, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "civic_portal.settings")
django.setup()
from django.db.models import Count
from notifications.models import Notification
from notifications.models import Subscription
from projects.models import Comment, Support
from neighborhoods.models import NeedReport
print(json.dumps({
    "notifications": dict(Notification.objects.values_list("status").annotate(n=Count("id")).order_by()),
    "comments": Comment.objects.count(), "supports": Support.objects.count(),
    "follows": Subscription.objects.count(), "need_reports": NeedReport.objects.count(),
}))
"""


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    run_dir = ROOT / "var" / "soak" / time.strftime("%Y%m%d-%H%M%S")
    run_dir.mkdir(parents=True)
    run = Run(args=args, dir=run_dir, env=environment(args, run_dir))
    python, base = str(VENV_BIN / "python"), f"http://127.0.0.1:{args.port}"
    run.log(f"run directory {run_dir}; {psutil.cpu_count()} cores, load {os.getloadavg()[0]:.2f}")
    try:
        run.log(f"fresh database {args.db}, migrate, demo data (scale {args.scale}), static files")
        fresh_database(run)
        run.run(python, "manage.py", "migrate", "--noinput", "-v0")
        run.run(
            python, "manage.py", "seed_demo", *(["--scale", args.scale] if args.scale != "none" else []), quiet=True
        )
        run.run(python, "manage.py", "collectstatic", "--noinput", "-v0")
        data_file = run_dir / "soak-data.json"
        run.run(python, "bench/soak_data.py", str(data_file), str(args.citizens), str(args.trustees))
        run.env["SOAK_DATA"] = str(data_file)

        run.log(f"redis-server on {args.redis_port}, Celery worker with beat, gunicorn on {args.port}")
        run.start(
            "redis",
            "redis-server",
            "--bind",
            "127.0.0.1",
            "--port",
            str(args.redis_port),
            "--save",
            "",
            "--appendonly",
            "no",
        )
        celery = run.start(
            "celery",
            str(VENV_BIN / "celery"),
            "-A",
            "civic_portal",
            "worker",
            "--beat",
            "--schedule",
            str(run_dir / "celerybeat-schedule"),
            "--concurrency",
            "1",
            "--loglevel",
            "WARNING",
        )
        gunicorn = run.start("gunicorn", str(VENV_BIN / "gunicorn"), "-c", "gunicorn.conf.py")
        health = wait_for_health(run, f"{base}/healthz")
        run.log(f"healthz: {health['checks']}")
        master = psutil.Process(gunicorn.pid)
        workers = master.children()
        run.log(f"gunicorn master {master.pid}, workers {[w.pid for w in workers]}")

        run.log(f"locust: {args.users} users for {args.duration} s")
        prefix = run_dir / "locust"
        stop = threading.Event()
        run.started = time.monotonic()
        psutil.cpu_percent()  # starts the machine-wide measurement
        cpu_before = worker_cpu_seconds(master)
        sampler = threading.Thread(target=sample, args=(run, master, psutil.Process(celery.pid), stop), daemon=True)
        sampler.start()
        locust = run.start(
            "locust",
            str(VENV_BIN / "locust"),
            "-f",
            "bench/locustfile.py",
            "--headless",
            "--users",
            str(args.users),
            "--spawn-rate",
            str(args.spawn_rate),
            "--run-time",
            f"{args.duration}s",
            "--host",
            base,
            "--csv",
            str(prefix),
            "--only-summary",
            "--stop-timeout",
            "10",
            "--exit-code-on-error",
            "0",
        )
        locust.wait(timeout=args.duration + 120)
        run.cpu = {
            "workers": worker_cpu_seconds(master) - cpu_before,
            "seconds": time.monotonic() - run.started,
            "machine_busy": psutil.cpu_percent(),
        }
        stop.set()
        sampler.join()
        time.sleep(10)  # let the worker drain what the last writes queued
        outbox = json.loads(run.run(python, "-c", OUTBOX_SCRIPT, quiet=True))
    finally:
        run.stop_all()

    summary = locust_summary(prefix)
    errors_5xx = server_errors(run_dir / "access.log")
    print()
    print(f"requests {summary['requests']:,}  failures {summary['failures']}  server 5xx {errors_5xx}")
    print(
        f"throughput {summary['rps']:.1f} req/s  latency p50 {summary['p50']:.0f} ms  p95 {summary['p95']:.0f} ms  "
        f"p99 {summary['p99']:.0f} ms  max {summary['max']:.0f} ms"
    )
    for name, (count, failed, p95) in sorted(summary["by_name"].items(), key=lambda item: -item[1][0]):
        print(f"  {count:6,} {failed:4} failed  p95 {p95:6.0f} ms  {name}")
    for kind in summary["failure_kinds"]:
        print("  failure:", *kind)

    growth_limit_ok = True
    print(f"gunicorn worker RSS (MiB) after {args.warmup} s warm-up → at the end:")
    replaced = [pid for pid in run.rss if pid not in {w.pid for w in workers}]
    for pid, series in sorted(run.rss.items()):
        if pid in replaced or not series:
            continue
        warm, end = rss_at(series, args.warmup), series[-1][1]
        growth = end / warm - 1
        growth_limit_ok &= growth <= args.max_growth
        print(f"  worker {pid}: {warm / 2**20:6.1f} → {end / 2**20:6.1f}  ({growth:+.1%})")
    if replaced:
        growth_limit_ok = False
        print(f"  workers replaced during the run (killed or crashed): {replaced}")
    if run.celery_rss:
        warm, end = rss_at(run.celery_rss, args.warmup), run.celery_rss[-1][1]
        print(f"Celery worker + beat RSS (MiB): {warm / 2**20:.1f} → {end / 2**20:.1f} ({end / warm - 1:+.1%})")
    loads = [value for _t, value in run.load]
    print(f"machine load (1-min average) during the run: mean {sum(loads) / len(loads):.1f}, max {max(loads):.1f}")
    cpu = run.cpu
    print(
        f"CPU: the machine was {cpu['machine_busy']:.0f}% busy; gunicorn workers used {cpu['workers']:.0f} CPU-seconds "
        f"in {cpu['seconds']:.0f} s ({cpu['workers'] / cpu['seconds']:.2f} of {psutil.cpu_count()} cores)"
    )
    print(f"after the run: {outbox}")

    (run_dir / "summary.json").write_text(
        json.dumps(
            {
                "args": vars(args),
                "locust": summary,
                "server_5xx": errors_5xx,
                "rss": {str(pid): series for pid, series in run.rss.items()},
                "celery_rss": run.celery_rss,
                "load": run.load,
                "cpu": run.cpu,
                "after": outbox,
            },
            indent=1,
        )
    )
    ok = summary["failures"] == 0 and errors_5xx == 0 and growth_limit_ok
    print("PASS" if ok else "FAIL", f"(details in {run_dir})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
