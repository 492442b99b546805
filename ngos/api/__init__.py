"""REST API of the organisations app (registered on /api/v1/)."""

from rest_framework.routers import BaseRouter


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    from ngos.api.club import ApplicationViewSet, MeetingViewSet, OpportunityViewSet, PlanViewSet
    from ngos.api.organizations import OrganizationViewSet

    router.register("organizations", OrganizationViewSet, basename="organization")
    router.register("plans", PlanViewSet, basename="plan")
    router.register("meetings", MeetingViewSet, basename="meeting")
    router.register("opportunities", OpportunityViewSet, basename="opportunity")
    router.register("applications", ApplicationViewSet, basename="application")
