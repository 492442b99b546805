from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from rest_framework.exceptions import NotFound

from places.models import City
from projects.selectors import latest_projects


def _api_error(request, status: int, code: str, detail: str) -> JsonResponse | None:
    """Under /api/ the error pages answer in the API's JSON error format, not HTML."""
    if not request.path.startswith("/api/"):
        return None
    return JsonResponse({"detail": detail, "code": code}, status=status, json_dumps_params={"ensure_ascii": False})


def home(request):
    cities = City.objects.order_by("name")
    return render(request, "home.html", {"cities": cities, "latest_projects": latest_projects()})


def page_not_found(request, exception):
    api = _api_error(request, 404, "not_found", str(NotFound.default_detail))
    if api is not None:
        return api
    return render(request, "errors/404.html", status=404)


def server_error(request):
    api = _api_error(request, 500, "error", _("Something went wrong on our side. Please try again in a few minutes."))
    if api is not None:
        return api
    return render(request, "errors/500.html", status=500)


def permission_denied(request, exception):
    return render(request, "errors/403.html", status=403)


def bad_request(request, exception):
    detail = _("The request could not be understood. Please check what you entered and try again.")
    api = _api_error(request, 400, "bad_request", detail)
    if api is not None:
        return api
    return render(request, "errors/400.html", status=400)
