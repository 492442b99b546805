"""Persian first: the page language comes from the visitor's choice, never the browser.

Many Iranian citizens browse with an English-language browser; they still
get Persian unless they pick English with the switcher (a cookie).
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers


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
