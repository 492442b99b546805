"""Every app is laid out the same way (docs/architecture.md, "App layout"): a newcomer finds each thing where the
other apps keep it, and a module that grows past the limit is split into a package by topic."""

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
APPS = ("core", "places", "accounts", "notifications", "neighborhoods", "ngos", "projects")

# The same names in every app: a module, or a package of the same name once the module grows.
CANONICAL = {
    "__init__",
    "apps",
    "models",
    "services",
    "selectors",
    "permissions",
    "api",
    "views",
    "admin",
    "forms",
    "filters",
    "tasks",
    "events",
    "demo",
    "urls",
    "topics",
    "migrations",
    "management",
    "templatetags",
}
# Modules an app keeps for a topic of its own, each named in docs/architecture.md.
TOPICAL = {
    "core": {
        "audit", "cache", "db_router", "env", "filterfields", "gunicorn", "importing", "jalali", "logs", "metrics",
        "middleware", "migration_ops", "pagecache", "persian", "private_files", "ratelimit", "records", "s3", "scope",
        "security", "sms", "staticfiles", "text", "uploads", "web",
    },
    "places": {"branding", "importing"},
    "accounts": {"backends", "identity", "lockout", "otp", "personal_data", "residency", "validators"},
    "notifications": {
        "channels", "conf", "context_processors", "delivery", "digests", "metrics", "subscriptions", "tokens",
    },
    "neighborhoods": {"activity"},
    "ngos": set(),
    "projects": {"conf", "counters", "exports", "importing", "moderation", "notices"},
}  # fmt: skip
MAX_LINES = 400
# One settings module by design; the benchmark's bulk data generator is not app code.
LONG_BY_DESIGN = {"civic_portal/settings.py", "civic_portal/scale.py"}


@pytest.mark.parametrize("app", APPS)
def test_app_keeps_only_the_shared_names_and_its_documented_topics(app):
    entries = {
        path.stem if path.suffix == ".py" else path.name
        for path in (ROOT / app).iterdir()
        if path.name != "__pycache__" and (path.suffix == ".py" or path.is_dir())
    }
    strays = entries - CANONICAL - TOPICAL[app]
    assert not strays, f"{app}/ has modules outside the app layout: {sorted(strays)}"


@pytest.mark.parametrize("app", APPS)
def test_a_module_and_its_package_never_both_exist(app):
    for package in (ROOT / app).iterdir():
        if package.is_dir() and (package / "__init__.py").exists():
            assert not (ROOT / app / f"{package.name}.py").exists(), f"{app}/{package.name}.py beside its package"


def test_no_module_passes_the_size_at_which_it_becomes_a_package():
    long = []
    for app in (*APPS, "civic_portal"):
        for path in (ROOT / app).rglob("*.py"):
            relative = str(path.relative_to(ROOT))
            if "migrations" in path.parts or relative in LONG_BY_DESIGN:
                continue
            lines = len(path.read_text(encoding="utf-8").splitlines())
            if lines > MAX_LINES:
                long.append(f"{relative}: {lines} lines")
    assert not long, f"split these by topic into a package: {long}"


def test_serializers_live_with_the_api():
    for app in APPS:
        assert not (ROOT / app / "serializers.py").exists(), f"{app}/serializers.py belongs in {app}/api/"
