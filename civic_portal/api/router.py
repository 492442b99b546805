"""The /api/v1/ router: each app registers its viewsets in its own api module."""

from rest_framework.routers import DefaultRouter

from accounts.api import register as register_accounts
from neighborhoods.api import register as register_neighborhoods
from ngos.api import register as register_ngos
from notifications.api import register as register_notifications
from projects.api import register as register_projects


class Router(DefaultRouter):
    include_format_suffixes = False

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Every object the API serves has an integer id: anything else misses the route and is a
        # JSON 404, instead of reaching a query that cannot take it (a 500).
        self._default_value_pattern = "[0-9]+"

    def get_api_root_view(self, api_urls=None):
        """The root lists each prefix once, with its first viewset (``plans`` also carries projects' action)."""
        api_root_dict = {}
        list_name = self.routes[0].name
        for prefix, _viewset, basename in self.registry:
            api_root_dict.setdefault(prefix, list_name.format(basename=basename))
        return self.APIRootView.as_view(api_root_dict=api_root_dict)


router = Router()
for register in (
    register_accounts,
    register_neighborhoods,
    register_ngos,
    register_projects,
    register_notifications,
):
    register(router)
