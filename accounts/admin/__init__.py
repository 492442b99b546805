"""The accounts admin: accounts, groups, tokens and lockouts (``users``); residents and census lists (``residency``)."""

from accounts.admin import residency, users

__all__ = ["residency", "users"]
