"""The /api/v1/ router: each app registers its viewsets in its own api module."""

from rest_framework.routers import DefaultRouter

from accounts.api import register as register_accounts
from neighborhoods.api import register as register_neighborhoods
from ngos.api import register as register_ngos
from notifications.api import register as register_notifications
from projects.api import register as register_projects


class Router(DefaultRouter):
    include_format_suffixes = False


router = Router()
for register in (
    register_accounts,
    register_neighborhoods,
    register_ngos,
    register_projects,
    register_notifications,
):
    register(router)
