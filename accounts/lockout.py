"""Sign-in limits: what django-axes answers when an account is locked, and the per-address/per-account count.

Pages get the lockout page; the API (``/api/v1/auth/token/``) gets its JSON
error format with HTTP 429, so a program is not handed an HTML page.
"""

from __future__ import annotations

from functools import wraps

from axes.helpers import get_cool_off
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from accounts.backends import account_key
from core.ratelimit import client_ip, hit
from core.web import too_many


def lockout_response(request: HttpRequest, credentials: dict | None = None) -> HttpResponse:
    cool_off = get_cool_off(request)
    return too_many(
        request,
        wait=int(cool_off.total_seconds()) if cool_off else None,
        template=settings.AXES_LOCKOUT_TEMPLATE,
        message=_(
            "This account is temporarily locked after repeated failed sign-ins. "
            "Please try again later or reset your password."
        ),
        code="locked_out",
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )


def limit_sign_in(view):
    """Put the per-address and per-account sign-in limits on a login view that has none (the admin's)."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        if request.method == "POST" and not login_allowed(request, request.POST.get("username")):
            return too_many(request, "login_account")
        return view(request, *args, **kwargs)

    return wrapper


def login_allowed(request, identifier: str | None) -> bool:
    """Count one sign-in attempt per address and per account; False when either is over its limit.

    django-axes locks an account after repeated failures; these limits also
    slow a single address trying many accounts, and many addresses trying one.
    """
    by_ip = hit("login_ip", client_ip(request))
    account = account_key(identifier)
    by_account = hit("login_account", account) if account else True
    return by_ip and by_account
