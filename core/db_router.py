"""Read replicas: read-only page and API requests read from a replica, everything else from the primary.

Replicas are the aliases in ``settings.DATABASE_REPLICAS`` (filled from
``DATABASE_REPLICA_URLS``). A read goes to a replica only when all of these hold:

- it runs inside a GET, HEAD or OPTIONS request (``ReplicaMiddleware`` marks
  them); Celery tasks, management commands and POSTs read from the primary;
- the request has not written anything yet (read-your-writes within a request);
- no transaction is open on the primary (a transaction must see its own rows);
- the browser did not write in the last few seconds: after a write the
  middleware sets a short-lived cookie, so the page a form redirects to is
  read from the primary even if the replicas lag behind.

Replicas are taken in turn (round-robin per process). Writes always go to the
primary, and migrations run only there.
"""

from __future__ import annotations

import itertools
from contextvars import ContextVar
from dataclasses import dataclass

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connections

PIN_COOKIE = "civic_primary"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


@dataclass
class _RequestState:
    reads_on_replica: bool
    wrote: bool = False


_state: ContextVar[_RequestState | None] = ContextVar("civic_db_request_state", default=None)
_turn = itertools.count()


def replica_aliases() -> list[str]:
    return list(getattr(settings, "DATABASE_REPLICAS", ()))


class ReplicaRouter:
    """Django database router; see the module docstring for the rules."""

    def db_for_read(self, model, **hints) -> str | None:
        replicas = replica_aliases()
        state = _state.get()
        if not replicas or state is None or not state.reads_on_replica or state.wrote:
            return None  # the primary (or the instance's own database)
        if connections[DEFAULT_DB_ALIAS].in_atomic_block:
            return None
        return replicas[next(_turn) % len(replicas)]

    def db_for_write(self, model, **hints) -> str:
        state = _state.get()
        if state is not None:
            state.wrote = True
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints) -> bool:
        # Replicas hold the same rows as the primary.
        return True

    def allow_migrate(self, db: str, app_label: str, model_name: str | None = None, **hints) -> bool | None:
        return False if db in replica_aliases() else None


class ReplicaMiddleware:
    """Marks read-only requests for the router and pins a browser to the primary after it writes."""

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request):
        replicas = replica_aliases()
        reads_on_replica = bool(replicas) and request.method in SAFE_METHODS and PIN_COOKIE not in request.COOKIES
        state = _RequestState(reads_on_replica=reads_on_replica)
        token = _state.set(state)
        try:
            response = self.get_response(request)
        finally:
            _state.reset(token)
        if replicas and state.wrote:
            response.set_cookie(
                PIN_COOKIE,
                "1",
                max_age=settings.DATABASE_REPLICA_PIN_SECONDS,
                httponly=True,
                samesite="Lax",
                secure=request.is_secure(),
            )
        return response
