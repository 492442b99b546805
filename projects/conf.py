"""Tunable numbers of the projects app, each overridable from Django settings."""

from __future__ import annotations

from django.conf import settings


def _get(name: str, default: int) -> int:
    return int(getattr(settings, name, default))


def comment_edit_minutes() -> int:
    """How long an author may still edit a comment after posting it."""
    return _get("PROJECT_COMMENT_EDIT_MINUTES", 15)


def comment_max_length() -> int:
    return _get("PROJECT_COMMENT_MAX_LENGTH", 2000)


def projects_page_size() -> int:
    return _get("PROJECTS_PAGE_SIZE", 20)


def comments_page_size() -> int:
    return _get("PROJECT_COMMENTS_PAGE_SIZE", 20)


def import_max_rows() -> int:
    return _get("PROJECT_IMPORT_MAX_ROWS", 10_000)


def import_async_rows() -> int:
    """Files with more data rows than this are imported by a task on the ``imports`` queue."""
    return _get("PROJECT_IMPORT_ASYNC_ROWS", 2000)


def network_min_accounts() -> int:
    """A sign-up network is shown beside a project or round once this many of its supporters (voters) came from it."""
    return _get("ABUSE_NETWORK_MIN_ACCOUNTS", 3)


def import_progress_rows() -> int:
    """A queued import writes how many rows it has read once per this many rows (one cheap UPDATE each time)."""
    return max(1, _get("PROJECT_IMPORT_PROGRESS_ROWS", 500))


def moderation_notice_delay_seconds() -> int:
    """How long the author's notice of a moderation decision waits, so the moderator can still undo it."""
    return max(0, _get("MODERATION_NOTICE_DELAY_SECONDS", 30))
