"""Helpers every page view of the app uses: htmx detection, sign-in, rate limits, service errors."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from core.ratelimit import client_ip, hit


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def signed_in_required(view):
    """Like ``login_required``, but an htmx request is sent to the sign-in page as a whole page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        target = request.headers.get("HX-Current-URL") if is_htmx(request) else None
        target = target or request.get_full_path()
        if is_htmx(request):
            response = HttpResponse(status=204)
            response["HX-Redirect"] = redirect_to_login(target).url
            return response
        return redirect_to_login(target)

    return wrapper


def allow(scope: str, request) -> bool:
    """Count one request against ``scope`` for this user (or address); False when over the limit."""
    user = request.user
    key = f"user:{user.pk}" if user.is_authenticated else f"ip:{client_ip(request)}"
    return hit(scope, key)


def too_many(request) -> HttpResponse:
    return render(request, "projects/too_many.html", status=429)


def safe_next(request, fallback: str) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError on the form, on the field it names when the form has it."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.message_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)
