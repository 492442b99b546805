"""A fixed-window rate limiter on the cache, shared by pages and the API.

It fails open: when the cache is unreachable a request is let through rather
than a citizen being locked out by an infrastructure fault.
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger(__name__)


def client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def hit(scope: str, key: str) -> bool:
    """Count one request for ``key`` in ``scope``; False when over the limit."""
    limit, window = settings.RATE_LIMITS[scope]
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    cache_key = f"rl:{scope}:{bucket}:{digest}"
    try:
        added = cache.add(cache_key, 1, timeout=window)
        count = 1 if added else cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    except Exception as exc:  # noqa: BLE001 - any cache outage must fail open
        logger.warning("Rate limit cache unavailable for %s: %s", scope, exc)
        return True
    return count <= limit
