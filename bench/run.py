"""One-command benchmark: seed a scaled database, serve it with gunicorn, measure with wrk.

    .venv/bin/python bench/run.py [--scale district|city|both] [--duration 10] [--write-docs]

For each scale it creates (or reuses) the PostgreSQL database ``civic_bench_<scale>``,
migrates it, loads ``seed_demo --scale <scale>`` once, collects static files,
starts gunicorn with production settings (DEBUG off, BENCHMARK on, the tree's
gunicorn.conf.py) and runs wrk from a second process against every endpoint at
16 and 64 connections. Throughput is printed as a ratio to the floor (a bare
Django view served by the same gunicorn), so figures compare across machines.
See docs/performance.md.
"""

# ruff: noqa: S310, S603, S607, S608 - a developer tool running fixed commands against its own local server
from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import secrets
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import psycopg2

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
VAR = ROOT / "var" / "bench"
DOCS = ROOT / "docs" / "performance.md"
DOCS_BEGIN = "<!-- bench:results:begin -->"
DOCS_END = "<!-- bench:results:end -->"
PYTHON = sys.executable
CONNECTIONS = (16, 64)
# One key for every process of a run: the benchmark's session cookie is signed with it.
SECRET_KEY = os.environ.get("SECRET_KEY") or secrets.token_urlsafe(50)
WRITE_USERS = 2000
BULK_PHONE_PREFIX = "+98937"

# Targets from issue 8, checked in the report (not asserted anywhere).
READ_FLOOR_RATIO = 0.35
READ_P95_MS = 60
SEARCH_P95_MS = 50
WRITE_P95_MS = 100
CITY_TO_DISTRICT = 0.70


@dataclass
class Endpoint:
    name: str
    path: str = ""
    script: str = "get.lua"
    kind: str = "read"  # read, search, write or floor
    signed_in: bool = False  # sent with a citizen's session cookie, so no anonymous page cache answers


@dataclass
class Result:
    endpoint: Endpoint
    connections: int
    rps: float
    p50: float
    p95: float
    p99: float
    requests: int
    non_2xx: int
    socket_errors: int  # connect/read/write errors and timeouts (a recycled worker closes its keep-alive sockets)
    # The floor measured just before this cell, at the same connection count: on a
    # shared machine the load changes minute to minute, so each ratio uses its neighbour.
    floor_rps: float = 0.0

    @property
    def ratio(self) -> float:
        return self.rps / self.floor_rps if self.floor_rps else 0.0


@dataclass
class ScaleRun:
    scale: str
    results: list[Result] = field(default_factory=list)
    worker_peak_kib: int = 0
    counts: dict[str, int] = field(default_factory=dict)


# --- helpers -------------------------------------------------------------------------
def say(message: str) -> None:
    print(message, flush=True)


def server_url(args) -> str:
    return args.postgres.rstrip("/")


def database_url(args, scale: str) -> str:
    return f"{server_url(args)}/civic_bench_{scale}"


def ensure_database(args, scale: str) -> None:
    conn = psycopg2.connect(f"{server_url(args)}/postgres")
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute("SELECT 1 FROM pg_database WHERE datname = %s", [f"civic_bench_{scale}"])
        if cur.fetchone() is None:
            say(f"Creating database civic_bench_{scale}")
            cur.execute(f'CREATE DATABASE "civic_bench_{scale}"')
    conn.close()


def app_env(args, scale: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DATABASE_URL": database_url(args, scale),
            "DEBUG": "false",
            "BENCHMARK": "true",
            "HTTPS": "false",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(VAR / "static"),
            "LOG_LEVEL": "WARNING",
            # Keys of each scale apart, so one scale's cached pages never answer for the other.
            "CACHE_KEY_PREFIX": f"bench-{scale}",
            # The API's per-client throttles would cap every run at a few requests a second
            # from one address; the per-user limits on comments and supports stay on, which
            # the write scripts respect by rotating over many citizens' tokens.
            "API_THROTTLE_ANON": "1000000/min",
            "API_THROTTLE_USER": "1000000/min",
            "API_THROTTLE_WRITE": "1000000/min",
        }
    )
    if args.redis_url:
        env["REDIS_URL"] = args.redis_url
    else:
        env.pop("REDIS_URL", None)
    return env


def manage(args, scale: str, *command: str) -> None:
    env = app_env(args, scale)
    subprocess.run([PYTHON, "manage.py", *command], cwd=ROOT, env=env, check=True)


def prepare(args, scale: str) -> None:
    ensure_database(args, scale)
    say(f"[{scale}] migrate")
    manage(args, scale, "migrate", "-v0")
    say(f"[{scale}] seed (skipped when already loaded)")
    manage(args, scale, "seed_demo", "--scale", scale)


def query(args, scale: str, sql: str, params=()) -> list[tuple]:
    conn = psycopg2.connect(database_url(args, scale))
    conn.autocommit = True
    with conn.cursor() as cur:
        cur.execute(sql, params)
        rows = cur.fetchall() if cur.description else []
    conn.close()
    return rows


def write_data(args, scale: str, workdir: Path) -> dict:
    """Tokens for many bulk citizens, paired with projects they may comment on and support."""
    users = [
        uid
        for (uid,) in query(
            args,
            scale,
            "SELECT id FROM accounts_user WHERE phone LIKE %s ORDER BY id LIMIT %s",
            [BULK_PHONE_PREFIX + "%", WRITE_USERS],
        )
    ]
    # Tokens are stored as digests (accounts.ApiToken): make each key here and keep only its digest.
    tokens = []
    for uid in users:
        prefix, secret = f"bench{uid:07d}"[-12:], hashlib.sha256(f"bench-key-{uid}".encode()).hexdigest()
        query(
            args,
            scale,
            "INSERT INTO accounts_apitoken (user_id, prefix, digest, name, created_at, last_used_at) "
            "VALUES (%s, %s, %s, 'bench', now(), now()) ON CONFLICT (prefix) DO NOTHING",
            [uid, prefix, hashlib.sha256(secret.encode()).hexdigest()],
        )
        tokens.append(f"{prefix}.{secret}")
    projects = [
        pid
        for (pid,) in query(
            args,
            scale,
            "SELECT id FROM projects_project WHERE phase IN ('proposed', 'under_review') ORDER BY id DESC LIMIT %s",
            [WRITE_USERS],
        )
    ]
    files: dict = {"tokens": tokens, "projects": projects}
    for name, offset in (("comment", 0), ("support", 7)):
        path = workdir / f"{name}-pairs.txt"
        path.write_text(
            "".join(f"{token} {projects[(i * 13 + offset) % len(projects)]}\n" for i, token in enumerate(tokens))
        )
        files[name] = path
    return files


SESSION_CODE = """
from importlib import import_module
from django.conf import settings
from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
from accounts.models import User
user = User.objects.filter(phone__startswith="{prefix}").order_by("-id").first()
store = import_module(settings.SESSION_ENGINE).SessionStore()
store[SESSION_KEY] = str(user.pk)
store[BACKEND_SESSION_KEY] = "accounts.backends.PhoneOrEmailBackend"
store[HASH_SESSION_KEY] = user.get_session_auth_hash()
store.create()
print("COOKIE", settings.SESSION_COOKIE_NAME + "=" + store.session_key)
"""


def session_cookie(args, scale: str) -> str:
    """A signed-in citizen's session, created the way Django's login stores one."""
    output = subprocess.run(
        [PYTHON, "manage.py", "shell", "-c", SESSION_CODE.format(prefix=BULK_PHONE_PREFIX)],
        cwd=ROOT,
        env=app_env(args, scale),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    return next(line.split(" ", 1)[1] for line in output.splitlines() if line.startswith("COOKIE "))


def endpoints(args, scale: str) -> list[Endpoint]:
    district = query(
        args, scale, "SELECT district_id FROM projects_project GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1"
    )[0][0]
    showcase = query(args, scale, "SELECT id FROM projects_project ORDER BY comment_count DESC, id LIMIT 1")[0][0]
    hood = query(
        args,
        scale,
        "SELECT neighborhood_id FROM projects_project_neighborhoods GROUP BY 1 ORDER BY COUNT(*) DESC, 1 LIMIT 1",
    )[0][0]
    q = urllib.parse.quote
    return [
        Endpoint("floor (bare Django view)", "/bench/floor", kind="floor"),
        Endpoint("home", "/"),
        Endpoint("projects: first page", "/projects/"),
        Endpoint("projects: district filter", f"/projects/?district={district}"),
        Endpoint("projects: page 200", "/projects/?page=200"),
        Endpoint("projects: Persian search", f"/projects/?search={q('احداث بوستان')}", kind="search"),
        Endpoint("project with 1,000 comments", f"/projects/{showcase}/"),
        Endpoint("organisations: field filter", "/organizations/?field=children"),
        Endpoint("organisations: search", f"/organizations/?search={q('سالمندان')}", kind="search"),
        Endpoint("neighbourhood page", f"/neighborhoods/{hood}/"),
        Endpoint("API: projects", "/api/v1/projects/"),
        Endpoint("API: organisation search", f"/api/v1/organizations/?search={q('سالمندان')}", kind="search"),
        Endpoint("signed in: projects: first page", "/projects/", signed_in=True),
        Endpoint(
            "signed in: projects: Persian search", f"/projects/?search={q('احداث بوستان')}", "get.lua", "search", True
        ),
        Endpoint("signed in: project with 1,000 comments", f"/projects/{showcase}/", signed_in=True),
        Endpoint("API: post a comment", "/", script="comment.lua", kind="write"),
        Endpoint("API: toggle a support", "/", script="support.lua", kind="write"),
    ]


# --- gunicorn ---------------------------------------------------------------------------
class Server:
    def __init__(self, args, scale: str) -> None:
        self.args, self.scale = args, scale
        self.url = f"http://127.0.0.1:{args.port}"
        self.process: subprocess.Popen | None = None

    def __enter__(self) -> Server:
        command = [PYTHON, "-m", "gunicorn", "civic_portal.wsgi:application", "--bind", f"127.0.0.1:{self.args.port}"]
        config = ROOT / "gunicorn.conf.py"
        if config.exists():
            command += ["--config", str(config)]
        else:
            command += ["--workers", str(os.cpu_count() or 2)]
        say(f"[{self.scale}] starting: {' '.join(command[2:])}")
        self.log = open(VAR / f"gunicorn-{self.scale}.log", "w")  # noqa: SIM115 - closed in __exit__
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=app_env(self.args, self.scale), stdout=self.log, stderr=subprocess.STDOUT
        )
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"gunicorn exited; see {self.log.name}")
            try:
                with urllib.request.urlopen(self.url + "/bench/floor", timeout=2) as response:
                    if response.status == 200:
                        return self
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                time.sleep(0.5)
        raise SystemExit("gunicorn did not answer /bench/floor within 60 s (is BENCHMARK mounted?)")

    def __exit__(self, *exc) -> None:
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
        self.log.close()

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        try:
            return [int(pid) for pid in path.read_text().split()]
        except OSError:
            return []

    def worker_peak_kib(self) -> int:
        """The largest resident-set high-water mark (VmHWM) among the workers."""
        peak = 0
        for pid in self.workers():
            try:
                for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                    if line.startswith("VmHWM:"):
                        peak = max(peak, int(line.split()[1]))
            except OSError:
                continue
        return peak


def settle(server: Server, limit: float = 15.0) -> None:
    """Wait until requests a finished wrk run left queued are served, so they do not slow the next cell."""
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        started = time.monotonic()
        try:
            with urllib.request.urlopen(server.url + "/bench/floor", timeout=limit) as response:
                response.read()
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        if time.monotonic() - started < 0.05:
            return
        time.sleep(0.2)


def check(server: Server, endpoint: Endpoint, cookie: str) -> None:
    """Fail loudly when a read endpoint does not answer 200: a fast error page is no result."""
    if endpoint.kind == "write":
        return
    request = urllib.request.Request(
        server.url + endpoint.path, headers={"Cookie": cookie} if endpoint.signed_in else {}
    )
    body = b""
    try:
        with urllib.request.urlopen(request, timeout=60) as response:
            status, body = response.status, response.read()
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise SystemExit(f"{endpoint.name}: {endpoint.path} answered {status}")
    if endpoint.signed_in and b"/accounts/logout/" not in body:
        raise SystemExit(f"{endpoint.name}: the session cookie did not sign the citizen in")


def wrk(server: Server, endpoint: Endpoint, connections: int, duration: int, data: dict[str, Path]) -> Result:
    env = dict(os.environ, BENCH_LUA_DIR=str(BENCH_DIR))
    if endpoint.signed_in:
        env["BENCH_COOKIE"] = data["cookie"]
    if endpoint.script == "comment.lua":
        env["BENCH_WRITE_DATA"] = str(data["comment"])
    elif endpoint.script == "support.lua":
        env["BENCH_WRITE_DATA"] = str(data["support"])
    command = [
        "wrk",
        "-t2",
        f"-c{connections}",
        f"-d{duration}s",
        "--timeout",
        "10s",
        "-s",
        str(BENCH_DIR / endpoint.script),
        server.url + endpoint.path,
    ]
    output = subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout
    settle(server)
    line = next((x for x in output.splitlines() if x.startswith("BENCHJSON ")), None)
    if line is None:
        raise SystemExit(f"wrk gave no summary for {endpoint.name}:\n{output}")
    stats = json.loads(line.removeprefix("BENCHJSON "))
    seconds = stats["duration_us"] / 1e6
    socket_errors = stats["connect"] + stats["read"] + stats["write"] + stats["timeout"]
    return Result(
        endpoint=endpoint,
        connections=connections,
        rps=stats["requests"] / seconds if seconds else 0.0,
        p50=stats["p50"] / 1000,
        p95=stats["p95"] / 1000,
        p99=stats["p99"] / 1000,
        requests=stats["requests"],
        non_2xx=stats["non_2xx"],
        socket_errors=socket_errors,
    )


def counts(args, scale: str) -> dict[str, int]:
    tables = {
        "users": "accounts_user",
        "organisations": "ngos_organization",
        "projects": "projects_project",
        "comments": "projects_comment",
        "supports": "projects_support",
    }
    return {name: query(args, scale, f"SELECT COUNT(*) FROM {table}")[0][0] for name, table in tables.items()}


def run_scale(args, scale: str) -> ScaleRun:
    VAR.mkdir(parents=True, exist_ok=True)
    prepare(args, scale)
    run = ScaleRun(scale=scale, counts=counts(args, scale))
    workdir = Path(tempfile.mkdtemp(prefix=f"bench-{scale}-", dir=VAR))
    data = write_data(args, scale, workdir)
    data["cookie"] = session_cookie(args, scale)
    targets = endpoints(args, scale)
    if not args.skip_wrk:
        with Server(args, scale) as server:
            for endpoint in targets:
                check(server, endpoint, data["cookie"])
            say(f"[{scale}] warming up")
            for endpoint in targets:
                wrk(server, endpoint, 16, 2, data)
            for endpoint in targets:
                for connections in CONNECTIONS:
                    floor = wrk(server, targets[0], connections, max(3, args.duration // 2), data)
                    result = wrk(server, endpoint, connections, args.duration, data)
                    result.floor_rps = result.rps if endpoint.kind == "floor" else floor.rps
                    run.results.append(result)
                    # Workers are recycled (max_requests), so sample the high-water mark after every cell.
                    run.worker_peak_kib = max(run.worker_peak_kib, server.worker_peak_kib())
                    say(
                        f"[{scale}] {endpoint.name:32} c={connections:<3} {result.rps:8.1f} req/s  "
                        f"p50 {result.p50:7.1f}  p95 {result.p95:7.1f}  p99 {result.p99:7.1f} ms  "
                        f"non-2xx {result.non_2xx} socket errors {result.socket_errors}  × floor {result.ratio:.2f}"
                    )
    shutil.rmtree(workdir, ignore_errors=True)
    if args.profile:
        profile(args, scale, targets, data)
    return run


def profile(args, scale: str, targets: list[Endpoint], data: dict) -> None:
    """Where the time goes, per endpoint: pyinstrument text profiles in var/bench/profiles/<scale>/."""
    specs = []
    for endpoint in targets:
        spec = {"name": endpoint.name, "method": "GET", "path": endpoint.path, "signed_in": endpoint.signed_in}
        if endpoint.script == "comment.lua":
            spec.update(
                method="POST",
                path=f"/api/v1/projects/{data['projects'][0]}/comments/",
                tokens=data["tokens"][::-1],
                body='{"text": "نظر آزمایشی {i} دربارهٔ زمان‌بندی اجرای طرح"}',
            )
        elif endpoint.script == "support.lua":
            spec.update(method="TOGGLE", path=f"/api/v1/projects/{data['projects'][1]}/support/", tokens=data["tokens"])
        specs.append(spec)
    env = app_env(args, scale)
    env["ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    out_dir = VAR / "profiles" / scale
    say(f"[{scale}] profiling into {out_dir.relative_to(ROOT)}")
    subprocess.run(
        [PYTHON, str(BENCH_DIR / "profile_endpoints.py"), str(out_dir)],
        input=json.dumps(specs),
        text=True,
        cwd=ROOT,
        env=env,
        check=True,
    )


# --- report -----------------------------------------------------------------------------
def misses(run: ScaleRun, result: Result) -> list[str]:
    if result.connections != 16 or result.endpoint.kind == "floor":
        return []
    found = []
    kind = result.endpoint.kind
    if kind in ("read", "search"):
        if result.ratio < READ_FLOOR_RATIO:
            found.append(f"<{READ_FLOOR_RATIO:.0%} floor")
        if result.p95 >= READ_P95_MS:
            found.append(f"p95≥{READ_P95_MS}")
    if kind == "search" and result.p95 >= SEARCH_P95_MS:
        found.append(f"search p95≥{SEARCH_P95_MS}")
    if kind == "write" and result.p95 >= WRITE_P95_MS:
        found.append(f"write p95≥{WRITE_P95_MS}")
    if result.non_2xx:
        found.append(f"{result.non_2xx} non-2xx")
    return found


def scale_table(run: ScaleRun) -> str:
    lines = [
        f"### Scale `{run.scale}`",
        "",
        "Rows: "
        + ", ".join(f"{name} {value:,}" for name, value in run.counts.items())
        + f". Peak worker memory (VmHWM): {run.worker_peak_kib / 1024:.0f} MiB.",
        "",
        "| endpoint | conns | req/s | × floor | p50 ms | p95 ms | p99 ms | non-2xx | socket errors | target missed |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|---|",
    ]
    for r in run.results:
        lines.append(
            f"| {r.endpoint.name} | {r.connections} | {r.rps:,.0f} | {r.ratio:.2f} | {r.p50:.1f} | {r.p95:.1f} | "
            f"{r.p99:.1f} | {r.non_2xx} | {r.socket_errors} | {', '.join(misses(run, r))} |"
        )
    return "\n".join(lines)


def growth_table(district: ScaleRun, city: ScaleRun) -> str:
    """City ÷ district per endpoint, raw and with each side divided by its neighbouring floor."""
    lines = [
        "### How cost grows: city ÷ district throughput",
        "",
        "Raw req/s ratios, and the same with each figure first divided by its neighbouring floor "
        "(steadier on a shared machine; the target is checked on it).",
        "",
        "| endpoint | raw, 16 conns | raw, 64 conns | ÷ floor, 16 conns | ÷ floor, 64 conns | target missed |",
        "|---|---:|---:|---:|---:|---|",
    ]
    small = {(r.endpoint.name, r.connections): r for r in district.results}
    big = {(r.endpoint.name, r.connections): r for r in city.results}
    for name in [r.endpoint.name for r in city.results if r.connections == CONNECTIONS[0]]:
        if name.startswith("floor"):
            continue
        raw, normalised = [], []
        for connections in CONNECTIONS:
            a, b = small.get((name, connections)), big.get((name, connections))
            raw.append(b.rps / a.rps if a and b and a.rps else 0.0)
            normalised.append(b.ratio / a.ratio if a and b and a.ratio else 0.0)
        missed = f"<{CITY_TO_DISTRICT:.0%}" if normalised[0] < CITY_TO_DISTRICT else ""
        lines.append(f"| {name} | {raw[0]:.2f} | {raw[1]:.2f} | {normalised[0]:.2f} | {normalised[1]:.2f} | {missed} |")
    return "\n".join(lines)


def machine(args) -> str:
    mem_kib = next(
        int(line.split()[1]) for line in Path("/proc/meminfo").read_text().splitlines() if line.startswith("MemTotal:")
    )
    scale = "district" if args.scales == ["district"] else args.scales[-1]
    version = query(args, scale, "SHOW server_version")[0][0]
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=True
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        commit = "unknown"
    workers = "gunicorn.conf.py" if (ROOT / "gunicorn.conf.py").exists() else f"{os.cpu_count()} sync workers"
    return (
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"{mem_kib / 1024 / 1024:.0f} GiB RAM, PostgreSQL {version}, Python {platform.python_version()}, "
        f"gunicorn with {workers}; commit {commit} plus uncommitted changes; "
        f"{dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC; wrk 2 threads, {args.duration} s per cell."
    )


def report(args, runs: list[ScaleRun]) -> str:
    parts = [machine(args), ""]
    for run in runs:
        parts += [scale_table(run), ""]
    by_scale = {run.scale: run for run in runs}
    if "district" in by_scale and "city" in by_scale:
        parts += [growth_table(by_scale["district"], by_scale["city"]), ""]
    return "\n".join(parts)


def write_docs(text: str) -> None:
    current = DOCS.read_text() if DOCS.exists() else f"# Performance\n\n{DOCS_BEGIN}\n{DOCS_END}\n"
    if DOCS_BEGIN not in current or DOCS_END not in current:
        current += f"\n{DOCS_BEGIN}\n{DOCS_END}\n"
    head, rest = current.split(DOCS_BEGIN, 1)
    _old, tail = rest.split(DOCS_END, 1)
    DOCS.write_text(f"{head}{DOCS_BEGIN}\n{text}\n{DOCS_END}{tail}")
    say(f"Results written to {DOCS.relative_to(ROOT)}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", choices=["district", "city", "both"], default="both")
    parser.add_argument("--duration", type=int, default=10, help="seconds per endpoint and connection count")
    parser.add_argument("--write-docs", action="store_true", help="replace the results in docs/performance.md")
    parser.add_argument("--profile", action="store_true", help="also write pyinstrument profiles of every endpoint")
    parser.add_argument("--skip-wrk", action="store_true", help="prepare (and --profile) without measuring")
    parser.add_argument("--port", type=int, default=int(os.environ.get("BENCH_PORT", "8170")))
    parser.add_argument(
        "--postgres",
        default=os.environ.get("BENCH_POSTGRES", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL without a database name; databases civic_bench_<scale> are created there",
    )
    parser.add_argument(
        "--redis-url",
        default=os.environ.get("REDIS_URL"),
        help="Redis for cache, rate limits and broker, as in production (default: $REDIS_URL; none means "
        "per-worker memory cache and eager tasks)",
    )
    args = parser.parse_args()
    if shutil.which("wrk") is None:
        raise SystemExit("wrk is not installed (apt install wrk).")
    args.scales = ["district", "city"] if args.scale == "both" else [args.scale]
    ensure_database(args, args.scales[0])
    say("collectstatic (production settings: hashed, compressed files)")
    manage(args, args.scales[0], "collectstatic", "--noinput", "-v0")
    runs = [run_scale(args, scale) for scale in args.scales]
    text = report(args, runs)
    print()
    print(text)
    if args.write_docs:
        write_docs(text)


if __name__ == "__main__":
    main()
