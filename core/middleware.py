"""Persian first: the page language comes from the visitor's choice, never the browser.

Many Iranian citizens browse with an English-language browser; they still
get Persian unless they pick English with the switcher (a cookie).
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _


class PersianFirstLocaleMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.supported = {code for code, _name in settings.LANGUAGES}

    def __call__(self, request):
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        language = chosen if chosen in self.supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        patch_vary_headers(response, ("Cookie",))
        response.headers.setdefault("Content-Language", language)
        return response


class HeadAsGetMiddleware:
    """HEAD is answered as GET without the body, by every page and endpoint.

    Views accept GET (``require_GET``, DRF's method lists) and would refuse
    HEAD with 405; and a body sent after HEAD is read by a client reusing the
    connection as the start of the next answer. The view runs as for GET (the
    status, Content-Type and Content-Length are GET's) and the body is dropped
    here, whatever the server in front does. ``request.META["REQUEST_METHOD"]``
    still says HEAD.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.method != "HEAD":
            return self.get_response(request)
        request.method = "GET"
        try:
            response = self.get_response(request)
        finally:
            request.method = "HEAD"
        if response.streaming:
            response.streaming_content = iter(())  # the file stays registered for closing
        else:
            response.content = b""
        return response


# Forms and links use these; no page of the portal takes PUT, PATCH or DELETE (the API does, under /api/).
PAGE_METHODS = ("GET", "HEAD", "OPTIONS", "POST")


class MethodNotAllowedMiddleware:
    """Every 405 answers in Persian: the error page, or the API's JSON error under /api/.

    Django's own 405 (``require_POST`` and friends, class-based views) has an
    empty body, and some views (the admin's) answer any method; pages are
    held to the methods a browser form sends, so a PUT to a page is a 405
    too. The ``Allow`` header is kept.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        api = request.path.startswith("/api/")
        if not api and request.method not in PAGE_METHODS:
            return self._answer(request, api, ", ".join(PAGE_METHODS))
        response = self.get_response(request)
        # DRF answers its own 405s in the negotiated format (JSON, or its browsable page); Django's are empty.
        drf = hasattr(response, "accepted_renderer")
        if (
            response.status_code == 405
            and not drf
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            return self._answer(request, api, response.get("Allow", ""))
        return response

    def _answer(self, request, api: bool, allow: str) -> HttpResponse:
        if api:
            detail = _("This address does not accept the method %(method)s.") % {"method": request.method[:16]}
            response: HttpResponse = JsonResponse(
                {"detail": detail, "code": "method_not_allowed"}, status=405, json_dumps_params={"ensure_ascii": False}
            )
        else:
            response = render(request, "errors/405.html", status=405)
        if allow:
            response["Allow"] = allow
        return response
