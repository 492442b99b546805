from django.shortcuts import render

from neighborhoods.models import City


def home(request):
    from projects.selectors import latest_projects

    cities = City.objects.order_by("name")
    return render(request, "home.html", {"cities": cities, "latest_projects": latest_projects()})


def page_not_found(request, exception):
    return render(request, "errors/404.html", status=404)


def server_error(request):
    return render(request, "errors/500.html", status=500)


def permission_denied(request, exception):
    return render(request, "errors/403.html", status=403)


def bad_request(request, exception):
    return render(request, "errors/400.html", status=400)
