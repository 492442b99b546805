"""The API's limits: the ``write`` throttle on every write, and the per-action limits it shares with the pages.

Both answer 429 in the API's JSON error format (``core.api.errors``) with a
Persian sentence and a Retry-After header.
"""

from __future__ import annotations

from rest_framework import permissions
from rest_framework.exceptions import APIException, Throttled

from core.ratelimit import TOO_MANY_MESSAGE, hit, requester_key, retry_after


class WriteThrottleMixin:
    """Unsafe methods count against the ``write`` throttle; reads only against anon/user.

    An action named in ``own_limit_actions`` counts against its own per-user
    limit instead (``limit``, shared with the pages): counting it against
    ``write`` as well would cost two more cache round trips and limit nothing new.
    """

    own_limit_actions: frozenset[str] = frozenset()

    def get_throttles(self):
        unsafe = self.request.method not in permissions.SAFE_METHODS
        # A viewset names its action; a plain APIView's action is its handler (``post``).
        action = getattr(self, "action", None) or self.request.method.lower()
        own_limit = action in self.own_limit_actions
        self.throttle_scope = "write" if unsafe and not own_limit else None
        return super().get_throttles()


class RateLimited(Throttled):
    """HTTP 429 in the API's error format, with a Persian sentence and a Retry-After header."""

    default_detail = TOO_MANY_MESSAGE
    default_code = "throttled"

    def __init__(self, scope: str | None = None, *, wait: int | None = None, detail=None, code: str = "throttled"):
        """Over the limit of ``scope`` (the wait is what is left of its window), or ``wait`` seconds given."""
        # Throttled.__init__ would append an untranslated English sentence about the wait.
        APIException.__init__(self, detail=detail or TOO_MANY_MESSAGE, code=code)
        self.wait = wait if wait is not None else retry_after(scope) if scope else None


def limit(request, scope: str) -> None:
    """The same per-user (else per-address) limit of ``scope`` the pages apply; over it, ``RateLimited``."""
    if not hit(scope, requester_key(request)):
        raise RateLimited(scope)
