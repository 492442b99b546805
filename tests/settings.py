"""Test environment: safe defaults, then the one env-driven settings module.

Only fills what the caller has not set, so CI's DATABASE_URL and REDIS_URL
pass through. Each xdist worker gets its own Redis cache database, so one
worker clearing its cache never touches another's (or the broker's).
"""

import os
from urllib.parse import urlsplit, urlunsplit

os.environ.setdefault("SECRET_KEY", "test-only-secret-key-not-for-production")
os.environ.setdefault("DEBUG", "false")
os.environ.setdefault("HTTPS", "false")
os.environ.setdefault("STATIC_MANIFEST", "false")
os.environ.setdefault("EMAIL_BACKEND", "locmem")
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost,127.0.0.1")
# A busy CI machine can stall a Redis reply past the production 1 s; that must not
# open the cache's circuit breaker and turn rate limits off under a test.
os.environ.setdefault("CACHE_TIMEOUT_SECONDS", "5")
# The browsable API is on as in development, so its pages are tested too; the production
# default (off) is checked by tests/security/test_browsable_api.py.
os.environ.setdefault("API_BROWSABLE", "true")

_redis = os.environ.get("REDIS_URL")
if _redis:
    # xdist workers inherit the controller's environment, so remember the
    # original base once and derive each worker's database from it.
    _base = urlsplit(os.environ.setdefault("TEST_CACHE_BASE_URL", os.environ.get("CACHE_URL") or _redis))
    _base_db = int(_base.path.strip("/") or 0)
    _worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    _db = 8 + (_base_db + (int(_worker) if _worker.isdigit() else 0)) % 8
    os.environ["CACHE_URL"] = urlunsplit(_base._replace(path=f"/{_db}"))

from civic_portal.settings import *  # noqa: E402, F403

# A read replica for the router tests (tests/perf/test_db_router.py): a test mirror of
# the default database. The router sends nothing to it unless DATABASE_REPLICAS names it.
DATABASES["replica"] = {**DATABASES["default"], "TEST": {"MIRROR": "default"}}  # noqa: F405
