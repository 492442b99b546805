"""How the API answers a browser: JSON unless the browsable view is on, and write forms only for writers."""

from __future__ import annotations

from django.conf import settings
from rest_framework import exceptions, renderers
from rest_framework.negotiation import DefaultContentNegotiation


class BrowsableAPIRenderer(renderers.BrowsableAPIRenderer):
    """DRF's HTML view, without edit forms for people who may not write.

    DRF fills a detail page's PUT/PATCH form (and its raw-data box) from the
    write serializer whenever the view's permission classes let the user in;
    many views decide "may edit this" only inside the action, so their forms
    showed private fields to anyone signed in. On a route that names an
    object, a form is shown only when the view answers ``may_write(request,
    obj, method)`` with True; views without that hook show none there.
    """

    def show_form_for_method(self, view, method, request, obj):
        if not super().show_form_for_method(view, method, request, obj):
            return False
        if not set(getattr(view, "kwargs", {})) - {"format"}:
            return True  # a list: its create form is empty, and the permission classes decided
        may_write = getattr(view, "may_write", None)
        if may_write is None:
            return False
        if obj is None:
            try:
                obj = view.get_object()
            except (exceptions.APIException, AttributeError, AssertionError):
                return False
        return bool(may_write(request, obj, method))


class ContentNegotiation(DefaultContentNegotiation):
    """Drops the browsable view unless ``API_BROWSABLE`` is on, and answers JSON rather than 406."""

    def select_renderer(self, request, renderers_, format_suffix=None):
        if not settings.API_BROWSABLE:
            renderers_ = [r for r in renderers_ if not isinstance(r, renderers.BrowsableAPIRenderer)]
        try:
            return super().select_renderer(request, renderers_, format_suffix)
        except exceptions.NotAcceptable:
            if format_suffix or not renderers_:
                raise
            return renderers_[0], renderers_[0].media_type
