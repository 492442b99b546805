"""Security headers Django 5.2 does not send by itself: a Content Security Policy and a Permissions-Policy.

The policy allows scripts, styles, fonts and images from our own origin only:
no inline scripts or styles, no ``eval``, no third-party hosts. Every page is
written to work under it (htmx's indicator styles live in portal.css, the API
docs use drf-spectacular's split Swagger view whose script is a separate
file). The other usual headers (HSTS, nosniff, Referrer-Policy,
Cross-Origin-Opener-Policy, X-Frame-Options) come from Django's own
SecurityMiddleware and XFrameOptionsMiddleware, configured in settings.
XFrameOptionsMiddleware sits below WhiteNoise and never sees static files,
so this middleware, above WhiteNoise, adds ``X-Frame-Options`` to whatever
still lacks it.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from rest_framework.renderers import BrowsableAPIRenderer


def build_policy(directives: Mapping[str, Sequence[str]]) -> str:
    """``{"default-src": ["'self'"]}`` → ``"default-src 'self'"``; a directive with no sources stands alone."""
    return "; ".join(" ".join([name, *sources]) for name, sources in directives.items())


def _is_browsable_api(response: HttpResponse) -> bool:
    """DRF's HTML view of the API, whose stock templates carry inline ``style`` attributes."""
    return isinstance(getattr(response, "accepted_renderer", None), BrowsableAPIRenderer)


class SecurityHeadersMiddleware:
    """Adds the CSP, Permissions-Policy and X-Frame-Options headers to every response that has not set its own."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response
        self.csp = build_policy(settings.CONTENT_SECURITY_POLICY)
        self.browsable_api_csp = build_policy(
            {**settings.CONTENT_SECURITY_POLICY, **settings.CONTENT_SECURITY_POLICY_BROWSABLE_API}
        )
        report_only = settings.CONTENT_SECURITY_POLICY_REPORT_ONLY
        self.csp_header = f"Content-Security-Policy{'-Report-Only' if report_only else ''}"
        self.permissions_policy = ", ".join(
            f"{feature}=({' '.join(allow)})" for feature, allow in settings.PERMISSIONS_POLICY.items()
        )

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if self.csp:
            policy = self.browsable_api_csp if _is_browsable_api(response) else self.csp
            response.headers.setdefault(self.csp_header, policy)
        if self.permissions_policy:
            response.headers.setdefault("Permissions-Policy", self.permissions_policy)
        if not getattr(response, "xframe_options_exempt", False):
            response.headers.setdefault("X-Frame-Options", settings.X_FRAME_OPTIONS)
        return response
