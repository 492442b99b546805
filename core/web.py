"""What every page view shares: htmx, sign-in, rate limits, a safe ``next`` and service errors onto forms.

Pages work with JavaScript off and htmx swaps partials in; these helpers
answer both kinds of request the same way in every app.
"""

from __future__ import annotations

from functools import wraps

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.http import url_has_allowed_host_and_scheme

from core.ratelimit import TOO_MANY_MESSAGE, hit, requester_key, retry_after

TOO_MANY_TEMPLATE = "errors/429.html"


def is_htmx(request: HttpRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def sign_in_redirect(request: HttpRequest) -> HttpResponse:
    """Send an anonymous visitor to the sign-in page and back to where they were.

    An htmx request would swap the sign-in page into a button, so it gets
    ``HX-Redirect`` instead and the browser loads the sign-in page whole,
    coming back to the page the button is on.
    """
    if is_htmx(request):
        target = request.headers.get("HX-Current-URL") or request.get_full_path()
        response = HttpResponse(status=204)
        response["HX-Redirect"] = redirect_to_login(target).url
        return response
    return redirect_to_login(request.get_full_path())


def signed_in_required(view):
    """Like ``login_required``, but an htmx request is sent to the sign-in page as a whole page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.is_authenticated:
            return view(request, *args, **kwargs)
        return sign_in_redirect(request)

    return wrapper


def safe_next(request: HttpRequest, fallback: str = "") -> str:
    """The ``next`` the form or link carried when it is one of our own pages, else ``fallback``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return fallback


def within_limit(request: HttpRequest, scope: str) -> bool:
    """Count one request against ``scope`` for this user (or address); False when over the limit."""
    return hit(scope, requester_key(request))


def too_many(
    request: HttpRequest,
    scope: str | None = None,
    *,
    wait: int | None = None,
    template: str = TOO_MANY_TEMPLATE,
    partial: str | None = None,
    context: dict | None = None,
    form: forms.BaseForm | None = None,
    message=TOO_MANY_MESSAGE,
    code: str = "throttled",
    status: int = 429,
) -> HttpResponse:
    """The answer to a request over a limit: 429, a Persian sentence, and Retry-After.

    Under /api/ it is the API's JSON error (``message`` and ``code``); an htmx
    request gets ``partial`` (htmx is configured to swap a 429 in); anything
    else gets ``template``: the page the form was on, with ``message`` as an
    error of ``form``, or the plain "too many requests" page. Retry-After is
    ``wait`` seconds, by default what is left of the window of ``scope``.
    """
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": str(message), "code": code}, status=status, json_dumps_params={"ensure_ascii": False}
        )
    else:
        if form is not None:
            form.add_error(None, str(message))
        context = {"limit_message": message, **(context or {})}
        chosen = partial if partial is not None and is_htmx(request) else template
        response = render(request, chosen, context, status=status)
    if wait is None and scope is not None:
        wait = retry_after(scope)
    if wait:
        response["Retry-After"] = str(wait)
    return response


def add_service_errors(form: forms.BaseForm, error: ValidationError) -> None:
    """Show a service's ValidationError on the form: on the field it names when the form has one, else on the form."""
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error.error_list)
