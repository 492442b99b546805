"""The per-city stylesheet: the current city's colours as CSS custom properties."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_safe

from places.branding import branding_for, current_city_id, stylesheet


@require_safe
def city_css(request) -> HttpResponse:
    """Linked from every page after portal.css; the CSP forbids inline styles, so the colours come from here.

    Which city depends on the visitor (see ``current_city_id``), hence private and short-lived.
    """
    response = HttpResponse(stylesheet(branding_for(current_city_id(request))), content_type="text/css; charset=utf-8")
    patch_cache_control(response, private=True, max_age=300)
    patch_vary_headers(response, ["Cookie"])
    return response
