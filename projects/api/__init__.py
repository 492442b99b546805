"""REST API of projects, participation and budgeting rounds."""

from __future__ import annotations

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    from projects.api.views import BudgetingRoundViewSet, PlanProjectViewSet, ProjectViewSet

    router.register("projects", ProjectViewSet, basename="project")
    router.register("budgeting-rounds", BudgetingRoundViewSet, basename="budgeting-round")
    # An action on the organisations' plans that only this app can perform (it makes a project).
    router.register("plans", PlanProjectViewSet, basename="plan-project")
