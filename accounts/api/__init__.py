"""Account endpoints: the citizen's own account (``me``) and signing in for programs (``auth``)."""

from __future__ import annotations

from rest_framework.routers import BaseRouter

from accounts.api.auth import (
    CodeRequestView,
    CodeVerifyView,
    MyTokensView,
    MyTokenView,
    SignOutEverywhereView,
    TokenView,
)
from accounts.api.me import MeView, MyDataView

__all__ = [
    "CodeRequestView",
    "CodeVerifyView",
    "MeView",
    "MyDataView",
    "MyTokenView",
    "MyTokensView",
    "SignOutEverywhereView",
    "TokenView",
    "register",
]


def register(router: BaseRouter) -> None:
    """Accounts have no router viewsets; see ``urlpatterns`` in civic_portal.urls."""
