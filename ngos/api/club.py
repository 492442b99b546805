"""/api/v1/ plans, meetings, opportunities and applications."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.throttles import WriteThrottleMixin, limit
from ngos import permissions as rules
from ngos import services
from ngos.api.organizations import ERRORS
from ngos.api.serializers import (
    ApplicationSerializer,
    ApplySerializer,
    MeetingSerializer,
    MinutesSerializer,
    OpportunitySerializer,
    PlanResubmitSerializer,
    PlanReviewSerializer,
    PlanSerializer,
    RsvpSerializer,
)
from ngos.filters import OpportunityFilter
from ngos.models import Meeting, Opportunity
from places.models import Neighborhood


class PlanViewSet(
    WriteThrottleMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Plans of the organisations you manage, and (for staff) plans aimed at your districts."""

    serializer_class = PlanSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ("status", "organization")
    ordering_fields = ("submitted_at",)

    def get_queryset(self):
        hoods = Neighborhood.objects.only("id")
        return (
            rules.plans_visible_to(self.request.user)
            .select_related("organization")
            .prefetch_related(Prefetch("target_neighborhoods", queryset=hoods))
            .order_by("-submitted_at", "-id")
        )

    @extend_schema(responses={201: PlanSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        if not rules.can_submit_plan(request.user, organization):
            raise PermissionDenied
        plan = services.plan_submit(actor=request.user, organization=organization, **data)
        return Response(self.get_serializer(plan).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PlanReviewSerializer, responses={200: PlanSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        """Staff in scope: ``under_review``, ``accepted``, or ``returned`` with a comment."""
        plan = self.get_object()
        body = PlanReviewSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_review(actor=request.user, plan=plan, **body.validated_data)
        return Response(self.get_serializer(plan).data)

    @extend_schema(request=PlanResubmitSerializer, responses={200: PlanSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def resubmit(self, request, pk=None):
        """After a return, the organisation's manager sends the edited plan again."""
        plan = self.get_object()
        if not rules.can_resubmit_plan(request.user, plan):
            raise PermissionDenied
        body = PlanResubmitSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        plan = services.plan_resubmit(actor=request.user, plan=plan, **body.validated_data)
        return Response(self.get_serializer(plan).data)


class MeetingViewSet(
    WriteThrottleMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Meetings the municipality holds for organisations; staff schedule, managers answer."""

    serializer_class = MeetingSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ("city", "district")
    ordering_fields = ("starts_at",)
    queryset = Meeting.objects.order_by("-starts_at", "-id")

    @extend_schema(responses={201: MeetingSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        meeting = services.meeting_schedule(
            actor=request.user,
            city=data["city"],
            district=data.get("district"),
            title=data["title"],
            starts_at=data["starts_at"],
            place=data["place"],
            agenda=data["agenda"],
        )
        return Response(self.get_serializer(meeting).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=RsvpSerializer, responses={200: RsvpSerializer, **ERRORS})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def rsvp(self, request, pk=None):
        """A manager answers for one of their organisations."""
        meeting = self.get_object()
        body = RsvpSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        rsvp = services.meeting_rsvp(actor=request.user, meeting=meeting, **body.validated_data)
        return Response({"organization": rsvp.organization_id, "response": rsvp.response})

    @extend_schema(request=MinutesSerializer, responses={200: MeetingSerializer, **ERRORS})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def minutes(self, request, pk=None):
        """Staff publish the minutes once the meeting has taken place."""
        meeting = self.get_object()
        body = MinutesSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        meeting = services.meeting_publish_minutes(actor=request.user, meeting=meeting, **body.validated_data)
        return Response(self.get_serializer(meeting).data)


class OpportunityViewSet(
    WriteThrottleMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Volunteer opportunities of verified organisations; open and upcoming ones unless ``status`` is given."""

    serializer_class = OpportunitySerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filter_backends = [DjangoFilterBackend]
    filterset_class = OpportunityFilter

    def filter_queryset(self, queryset):
        """Filters narrow the list; a single opportunity is found even when closed or past."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def get_queryset(self):
        return Opportunity.objects.public().with_taken_places().select_related("organization").order_by("date", "id")

    @extend_schema(responses={201: OpportunitySerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        organization = data.pop("organization")
        if not rules.can_post_opportunity(request.user, organization):
            raise PermissionDenied
        opportunity = services.opportunity_post(actor=request.user, organization=organization, **data)
        opportunity = self.get_queryset().get(pk=opportunity.pk)
        return Response(self.get_serializer(opportunity).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=ApplySerializer, responses={201: ApplicationSerializer, **ERRORS})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def apply(self, request, pk=None):
        """Apply for a place (once per opportunity); refused when the places are taken."""
        opportunity = self.get_object()
        limit(request, "volunteer_apply")
        body = ApplySerializer(data=request.data)
        body.is_valid(raise_exception=True)
        application = services.application_apply(user=request.user, opportunity=opportunity, **body.validated_data)
        return Response(ApplicationSerializer(application).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: OpportunitySerializer, **ERRORS})
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def close(self, request, pk=None):
        """A manager stops taking applications."""
        opportunity = self.get_object()
        if not rules.can_manage_opportunity(request.user, opportunity):
            raise PermissionDenied
        services.opportunity_close(actor=request.user, opportunity=opportunity)
        opportunity = Opportunity.objects.with_taken_places().select_related("organization").get(pk=opportunity.pk)
        return Response(self.get_serializer(opportunity).data)


class ApplicationViewSet(WriteThrottleMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Your own applications, and those sent to organisations you manage."""

    serializer_class = ApplicationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_fields = ("status", "opportunity")

    def get_queryset(self):
        return rules.applications_visible_to(self.request.user).select_related("volunteer").order_by("created_at", "id")

    def _decide(self, request, accept: bool):
        application = self.get_object()
        application = services.application_decide(actor=request.user, application=application, accept=accept)
        return Response(self.get_serializer(application).data)

    @extend_schema(request=None, responses={200: ApplicationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        """A manager of the organisation accepts a pending application."""
        return self._decide(request, True)

    @extend_schema(request=None, responses={200: ApplicationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def decline(self, request, pk=None):
        """A manager of the organisation declines a pending application."""
        return self._decide(request, False)

    @extend_schema(request=None, responses={200: ApplicationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The volunteer withdraws, freeing the place."""
        application = self.get_object()
        application = services.application_withdraw(user=request.user, application=application)
        return Response(self.get_serializer(application).data)
