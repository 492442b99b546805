"""A Redis cache that degrades instead of failing while Redis is unreachable.

The portal uses the cache only to go faster and to count (rate limits, API
throttles), so an outage must cost a cache miss, never a 500: a read misses,
a write is dropped, a counter starts again. A circuit breaker, shared by
every thread of the process, remembers the outage for a few seconds, so a
dead or hung Redis costs one socket timeout per period instead of one per
call. A write or delete dropped meanwhile is remembered and its key deleted
once Redis answers again, so a Redis that kept its data (a frozen host, a
network partition) never serves a value the portal meant to replace.
``ping()`` goes past the breaker for the health check.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger(__name__)

T = TypeVar("T")

# Redis is down, restarting, unreachable or too slow: the cases worth degrading for.
# A ResponseError (a bug in our call) still raises.
UNREACHABLE: tuple[type[BaseException], ...] = (
    redis.exceptions.ConnectionError,
    redis.exceptions.TimeoutError,
    OSError,
)


class CircuitBreaker:
    """Closed: calls go through. Open: calls are skipped until ``reset_after`` seconds pass.

    Then one call is let through as a trial; its success closes the circuit,
    its failure opens it for another period. State is per process and per
    Redis location, so every thread learns of an outage from the first one.
    """

    def __init__(self, name: str, reset_after: float) -> None:
        self.name = name
        self.reset_after = reset_after
        self.openings = 0
        self._lock = threading.Lock()
        self._open_until = 0.0  # time.monotonic(); 0 while closed

    @property
    def is_open(self) -> bool:
        return bool(self._open_until)

    def allow(self) -> bool:
        if not self._open_until:
            return True
        with self._lock:
            if not self._open_until:
                return True
            now = time.monotonic()
            if now < self._open_until:
                return False
            # Half-open: this caller tries; the others keep skipping while it does.
            self._open_until = now + self.reset_after
            return True

    def success(self) -> None:
        if not self._open_until:
            return
        with self._lock:
            if self._open_until:
                self._open_until = 0.0
                logger.warning("%s is reachable again", self.name)

    def failure(self, exc: BaseException) -> None:
        with self._lock:
            opened = not self._open_until
            self._open_until = time.monotonic() + self.reset_after
            if opened:
                self.openings += 1
        if opened:
            logger.warning(
                "%s unreachable, going on without it for %gs: %s: %s",
                self.name,
                self.reset_after,
                type(exc).__name__,
                exc,
            )


_breakers: dict[str, CircuitBreaker] = {}
_breakers_lock = threading.Lock()

# Dropped writes remembered per location; past this many, some may stay stale until they expire.
MAX_STALE_KEYS = 100_000


class StaleKeys:
    """Keys whose write or delete was dropped during an outage, deleted once Redis answers again.

    A dropped invalidation (a page-cache version bump, a session deleted at
    sign-out) would leave the old value in a Redis that comes back with its
    data (a frozen host, a network partition), to be read again. Deleting is
    always safe for a cache: the next read misses and rebuilds.
    """

    def __init__(self) -> None:
        self.keys: set[str] = set()
        self.overflow = False
        self._lock = threading.Lock()

    def __bool__(self) -> bool:
        return bool(self.keys) or self.overflow

    def add(self, keys: Iterable[str]) -> None:
        keys = list(keys)
        with self._lock:
            if len(self.keys) + len(keys) > MAX_STALE_KEYS:
                self.overflow = True
            else:
                self.keys.update(keys)

    def take(self) -> tuple[list[str], bool]:
        with self._lock:
            keys, overflow = list(self.keys), self.overflow
            self.keys, self.overflow = set(), False
        return keys, overflow


_stale: dict[str, StaleKeys] = {}


def breaker_for(name: str, reset_after: float) -> CircuitBreaker:
    """One breaker per service in this process (Django makes a cache object per thread)."""
    with _breakers_lock:
        breaker = _breakers.get(name)
        if breaker is None:
            breaker = _breakers[name] = CircuitBreaker(name, reset_after)
        return breaker


def reset_breakers() -> None:
    """Forget every remembered outage (tests that start and stop their own Redis)."""
    with _breakers_lock:
        _breakers.clear()
        _stale.clear()


class FailSoftRedisCache(RedisCache):
    """Django's RedisCache, except that an unreachable Redis reads as a miss and writes as a no-op.

    ``OPTIONS["CIRCUIT_RESET_SECONDS"]`` (default 5) is how long an outage is
    remembered before Redis is tried again; the other options go to redis-py.
    """

    def __init__(self, server: str | list[str], params: dict[str, Any]) -> None:
        options = dict(params.get("OPTIONS", {}))
        reset_after = float(options.pop("CIRCUIT_RESET_SECONDS", 5))
        super().__init__(server, {**params, "OPTIONS": options})
        location = server if isinstance(server, str) else ",".join(server)
        name = f"Cache {without_password(location)}"
        self.breaker = breaker_for(name, reset_after)
        with _breakers_lock:
            self.stale = _stale.setdefault(name, StaleKeys())

    def _guard(
        self, call: Callable[[], T], degraded: Callable[[], T], writes: Callable[[], Iterable[str]] = tuple
    ) -> T:
        """Run ``call`` unless Redis is known to be down; ``writes`` names the keys a dropped call leaves stale."""
        if not self.breaker.allow():
            self.stale.add(writes())
            return degraded()
        try:
            result = call()
        except UNREACHABLE as exc:
            self.breaker.failure(exc)
            self.stale.add(writes())
            return degraded()
        self._recovered()
        return result

    def _recovered(self) -> None:
        self.breaker.success()
        if not self.stale:
            return
        keys, overflow = self.stale.take()
        try:
            for start in range(0, len(keys), 1000):
                self._cache.delete_many(keys[start : start + 1000])
        except UNREACHABLE as exc:
            self.stale.add(keys)
            self.breaker.failure(exc)
            return
        if keys:
            logger.warning(
                "%s: deleted %s keys whose writes were dropped during the outage", self.breaker.name, len(keys)
            )
        if overflow:
            logger.error(
                "%s: more than %s writes were dropped during the outage; some values may be stale until they expire",
                self.breaker.name,
                MAX_STALE_KEYS,
            )

    def _keys(self, keys: Iterable[str], version: int | None) -> Callable[[], list[str]]:
        return lambda: [self.make_and_validate_key(key, version=version) for key in keys]

    def ping(self) -> None:
        """Ask Redis itself, past the breaker, and raise if it does not answer (for /healthz)."""
        try:
            self._cache.get_client(write=True).ping()
        except UNREACHABLE as exc:
            self.breaker.failure(exc)
            raise
        self._recovered()

    def add(self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(FailSoftRedisCache, self).add(key, value, timeout, version), lambda: False)

    def get(self, key: str, default: Any = None, version: int | None = None) -> Any:
        return self._guard(lambda: super(FailSoftRedisCache, self).get(key, default, version), lambda: default)

    def set(self, key: str, value: Any, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> None:
        self._guard(
            lambda: super(FailSoftRedisCache, self).set(key, value, timeout, version),
            lambda: None,
            self._keys([key], version),
        )

    def touch(self, key: str, timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None) -> bool:
        return self._guard(lambda: super(FailSoftRedisCache, self).touch(key, timeout, version), lambda: False)

    def delete(self, key: str, version: int | None = None) -> bool:
        return self._guard(
            lambda: super(FailSoftRedisCache, self).delete(key, version), lambda: False, self._keys([key], version)
        )

    def get_many(self, keys: Iterable[str], version: int | None = None) -> dict[str, Any]:
        return self._guard(lambda: super(FailSoftRedisCache, self).get_many(keys, version), dict)

    def has_key(self, key: str, version: int | None = None) -> bool:
        return self._guard(lambda: super(FailSoftRedisCache, self).has_key(key, version), lambda: False)

    def incr(self, key: str, delta: int = 1, version: int | None = None) -> int:
        def missing() -> int:
            # What Django raises for a key that is not there: callers already handle it.
            raise ValueError(f"Key {key!r} not found (cache unreachable).")

        return self._guard(lambda: super(FailSoftRedisCache, self).incr(key, delta, version), missing)

    def set_many(
        self, data: dict[str, Any], timeout: float | None = DEFAULT_TIMEOUT, version: int | None = None
    ) -> list[str]:
        return self._guard(
            lambda: super(FailSoftRedisCache, self).set_many(data, timeout, version),
            lambda: list(data),
            self._keys(data, version),
        )

    def delete_many(self, keys: Iterable[str], version: int | None = None) -> None:
        keys = list(keys)
        self._guard(
            lambda: super(FailSoftRedisCache, self).delete_many(keys, version), lambda: None, self._keys(keys, version)
        )

    def clear(self) -> bool:
        return self._guard(lambda: super(FailSoftRedisCache, self).clear(), lambda: False)


def without_password(location: str) -> str:
    """Log the location without credentials (redis://:secret@host → redis://host)."""
    parts = []
    for server in location.split(","):
        scheme, sep, rest = server.partition("://")
        parts.append(f"{scheme}{sep}{rest.rpartition('@')[2]}" if sep else server)
    return ",".join(parts)
