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

_redis = os.environ.get("REDIS_URL")
if _redis and "CACHE_URL" not in os.environ:
    worker = os.environ.get("PYTEST_XDIST_WORKER", "gw0").removeprefix("gw")
    parts = urlsplit(_redis)
    db = 8 + (int(worker) if worker.isdigit() else 0) % 8
    os.environ["CACHE_URL"] = urlunsplit(parts._replace(path=f"/{db}"))

from civic_portal.settings import *  # noqa: E402, F403
