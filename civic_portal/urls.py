from django.conf import settings
from django.conf.urls.static import static
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.api import (
    CodeRequestView,
    CodeVerifyView,
    MeView,
    MyDataView,
    MyTokensView,
    MyTokenView,
    SignOutEverywhereView,
    TokenView,
)
from accounts.lockout import limit_sign_in
from accounts.views import admin_login
from civic_portal import views
from civic_portal.api.router import router
from civic_portal.health import healthz
from core.admin import dashboard, pickers
from core.metrics import metrics_view
from places.views import city_css

admin.site.site_header = _("Civic Portal administration")
admin.site.site_title = _("Civic Portal")
admin.site.index_title = _("Municipal staff")
# The admin's sign-in is a password door like the others: same per-address and per-account limits,
# and the SMS code after the password (accounts.views.codes.admin_login).
admin.site.login = limit_sign_in(admin_login)
# The index is the staff dashboard: the work queues of the user's districts and the last 30 days.
dashboard.install(admin.site)
# Autocomplete answers name each row as its admin does (a neighbourhood with its district).
pickers.install(admin.site)

api_v1 = [
    path("me/", MeView.as_view(), name="me"),
    path("me/export/", MyDataView.as_view(), name="me-export"),
    path("me/tokens/", MyTokensView.as_view(), name="me-token-list"),
    path("me/tokens/revoke-all/", SignOutEverywhereView.as_view(), name="me-token-revoke-all"),
    path("me/tokens/<int:pk>/", MyTokenView.as_view(), name="me-token-detail"),
    path("auth/token/", TokenView.as_view(), name="token"),
    path("auth/otp/", CodeRequestView.as_view(), name="otp"),
    path("auth/otp/verify/", CodeVerifyView.as_view(), name="otp-verify"),
    path("", include(router.urls)),
]

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", healthz, name="healthz"),
    path("metrics", metrics_view, name="metrics"),
    path("city.css", city_css, name="city_css"),
    path("accounts/", include("accounts.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("api/v1/", include((api_v1, "api"), namespace="api")),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="schema"), name="api-docs"),
    path("", include("neighborhoods.urls")),
    path("", include("ngos.urls")),
    path("", include("projects.urls")),
    path("", include("notifications.urls")),
]

handler400 = "civic_portal.views.bad_request"
handler403 = "civic_portal.views.permission_denied"
handler404 = "civic_portal.views.page_not_found"
handler500 = "civic_portal.views.server_error"

if settings.BENCHMARK:
    from civic_portal.benchmark import floor

    urlpatterns.insert(0, path("bench/floor", floor, name="bench-floor"))

if settings.DEBUG:
    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
