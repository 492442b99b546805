"""Session sign-in for the API, with the CSRF refusal in the portal's language and error format."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework import authentication, exceptions


class SessionAuthentication(authentication.SessionAuthentication):
    """DRF's session authentication; a missing or wrong CSRF token is a Persian 403, not "CSRF Failed: …"."""

    def enforce_csrf(self, request):
        try:
            super().enforce_csrf(request)
        except exceptions.PermissionDenied as refused:
            raise exceptions.PermissionDenied(
                _("This form has expired or was sent from another site. Please reload the page and try again."),
                code="csrf_failed",
            ) from refused
