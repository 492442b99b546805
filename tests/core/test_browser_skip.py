"""`make test` on a machine without Chromium: browser tests are left out with one line; CI must fail instead."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIP_LINE = "SKIPPED browser tests: Chromium not found at /nonexistent/chromium: install Debian's chromium package"


def _run(**env) -> subprocess.CompletedProcess:
    environ = {k: v for k, v in os.environ.items() if k not in {"CI", "REQUIRE_BROWSER", "DATABASE_URL", "REDIS_URL"}}
    environ.pop("PYTEST_XDIST_WORKER", None)
    environ.update(CHROMIUM_PATH="/nonexistent/chromium", **env)
    return subprocess.run(  # noqa: S603 - our own interpreter and test file
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-p", "no:xdist", "tests/e2e/test_smoke.py"],
        cwd=ROOT,
        env=environ,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_without_chromium_the_browser_tests_are_left_out_with_one_line():
    result = _run()
    out = result.stdout
    assert result.returncode == 5, out  # pytest's "no tests ran": nothing failed
    assert out.count(SKIP_LINE) == 1, out
    assert "deselected" in out


def test_in_ci_a_missing_chromium_fails_the_run():
    for env in ({"CI": "true"}, {"REQUIRE_BROWSER": "1"}):
        result = _run(**env)
        assert result.returncode == 1, result.stdout
        assert "Chromium not found at /nonexistent/chromium" in result.stdout
        assert SKIP_LINE not in result.stdout
