"""The unread badge in the header of every page."""

from __future__ import annotations

from notifications.selectors import unread_count


class UnreadCount:
    """Counted on first use only, once per request, and only for a signed-in user.

    Templates call it (it is callable), so a page that never shows the badge
    never runs the query.
    """

    def __init__(self, request) -> None:
        self._request = request
        self._value: int | None = None

    def __call__(self) -> int:
        if self._value is None:
            user = getattr(self._request, "user", None)
            self._value = unread_count(user) if user is not None and user.is_authenticated else 0
        return self._value


def unread_notifications(request) -> dict:
    return {"notifications_unread": UnreadCount(request)}
