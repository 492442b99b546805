"""REST API of projects, participation and budgeting rounds."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    from projects.api.views import BudgetingRoundViewSet, ProjectViewSet

    router.register("projects", ProjectViewSet, basename="project")
    router.register("budgeting-rounds", BudgetingRoundViewSet, basename="budgeting-round")
