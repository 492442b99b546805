"""A fixed-window rate limiter on the cache, shared by pages and the API.

It fails open: when the cache is unreachable a request is let through rather
than a citizen being locked out by an infrastructure fault. Pages answer an
over-limit request with ``core.web.too_many``, the API with
``core.api.throttles.RateLimited``.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext_lazy as _

from core import metrics

logger = logging.getLogger(__name__)

TOO_MANY_MESSAGE = _("Too many attempts. Please wait a while and try again.")


def client_ip(request) -> str:
    """The visitor's address; behind N trusted proxies, the one the outermost proxy saw.

    Each proxy appends the address it received from to X-Forwarded-For, so
    the N-th entry from the right is the client; anything to its left was
    sent by the client itself and is ignored (it could be forged to dodge a
    limit). Without this, every visitor behind a load balancer would share
    its address and one limit.
    """
    hops = settings.TRUSTED_PROXY_COUNT
    if hops:
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()]
        if len(forwarded) >= hops:
            return forwarded[-hops]
    return request.META.get("REMOTE_ADDR", "") or "unknown"


def requester_key(request) -> str:
    """Whom a limit counts: the signed-in user first, else the address (so a page and the API share one count)."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return f"user:{user.pk}"
    return f"ip:{client_ip(request)}"


def _cache_key(scope: str, key: str) -> str:
    window = settings.RATE_LIMITS[scope][1]
    bucket = int(time.time() // window)
    digest = hashlib.sha256(key.encode()).hexdigest()[:32]
    return f"rl:{scope}:{bucket}:{digest}"


def hit(scope: str, key: str) -> bool:
    """Count one request for ``key`` in ``scope``; False when over the limit."""
    limit, window = settings.RATE_LIMITS[scope]
    cache_key = _cache_key(scope, key)
    try:
        added = cache.add(cache_key, 1, timeout=window)
        count = 1 if added else cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, timeout=window)
        count = 1
    except Exception as exc:  # noqa: BLE001 - any cache outage must fail open
        logger.warning("Rate limit cache unavailable for %s: %s", scope, exc)
        return True
    if count > limit:
        metrics.count_rate_limited(scope)
        return False
    return True


def would_pass(scope: str, key: str) -> bool:
    """Whether one more request of ``key`` would be within ``scope``'s limit, without counting it.

    For a form that checks before the service counts (the admin shows the
    refusal on the form rather than after a save).
    """
    try:
        count = cache.get(_cache_key(scope, key)) or 0
    except Exception as exc:  # noqa: BLE001 - any cache outage must fail open
        logger.warning("Rate limit cache unavailable for %s: %s", scope, exc)
        return True
    return count < settings.RATE_LIMITS[scope][0]


def forget(scope: str, key: str) -> None:
    """Start the count of ``key`` in ``scope`` afresh (its owner proved who they are another way)."""
    try:
        cache.delete(_cache_key(scope, key))
    except Exception as exc:  # noqa: BLE001 - a cache outage leaves the count to expire by itself
        logger.warning("Rate limit cache unavailable for %s: %s", scope, exc)


def retry_after(scope: str) -> int:
    """Seconds until the current window of ``scope`` ends and the count starts again."""
    window = settings.RATE_LIMITS[scope][1]
    return max(1, math.ceil(window - time.time() % window))
