"""REST API of geography, trustee boards and need reports."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    from neighborhoods.api.views import (
        CityViewSet,
        DistrictViewSet,
        NeedReportViewSet,
        NeighborhoodViewSet,
        TrusteeBoardViewSet,
    )

    router.register("cities", CityViewSet, basename="city")
    router.register("districts", DistrictViewSet, basename="district")
    router.register("neighborhoods", NeighborhoodViewSet, basename="neighborhood")
    router.register("trustee-boards", TrusteeBoardViewSet, basename="trustee-board")
    router.register("need-reports", NeedReportViewSet, basename="need-report")
