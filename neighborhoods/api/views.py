"""REST API of geography, trustee boards and need reports.

Lists share their FilterSet and queryset with the pages. Writes go through
``neighborhoods.services``, whose PermissionDenied and ValidationError the
API error handler turns into 403 and 400 with field errors.
"""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from django.urls import reverse
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.parsers import JSONParser
from core.api.throttles import WriteThrottleMixin, limit
from neighborhoods import selectors
from neighborhoods.api.serializers import (
    CitySerializer,
    DistrictSerializer,
    NeedReportCreateSerializer,
    NeedReportSerializer,
    NeedStatusChangeSerializer,
    NeedStatusSerializer,
    NeighborhoodSerializer,
    TrusteeBoardSerializer,
)
from neighborhoods.filters import (
    CityFilter,
    DistrictFilter,
    NeedReportFilter,
    NeighborhoodFilter,
    TrusteeBoardFilter,
)
from neighborhoods.permissions import can_view_need_history, district_checker
from neighborhoods.services import need_report_change_status, need_report_file
from notifications.api import FollowActionMixin
from places.models import City, District, Neighborhood


class StaffScopeContextMixin:
    """Serializers learn once per request which districts the caller serves."""

    def get_serializer_context(self):
        context = super().get_serializer_context()
        context["district_check"] = district_checker(self.request.user)
        context["today"] = selectors.today()
        return context


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = City.objects.order_by("name")
    serializer_class = CitySerializer
    filterset_class = CityFilter
    ordering_fields = ("name",)


class DistrictViewSet(FollowActionMixin, viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.order_by("city_id", "number")
    serializer_class = DistrictSerializer
    filterset_class = DistrictFilter
    ordering_fields = ("number", "name")

    def follow_target(self, pk) -> District:
        return get_object_or_404(District, pk=pk)


class NeighborhoodViewSet(FollowActionMixin, StaffScopeContextMixin, viewsets.ReadOnlyModelViewSet):
    """Neighbourhoods with their house, active board members and open need count."""

    serializer_class = NeighborhoodSerializer
    filterset_class = NeighborhoodFilter
    ordering_fields = ("name", "open_need_count")

    def get_queryset(self):
        return selectors.neighborhood_list()  # built per request: "active" means active today

    def follow_target(self, pk) -> Neighborhood:
        return get_object_or_404(Neighborhood, pk=pk)


class TrusteeBoardViewSet(StaffScopeContextMixin, viewsets.ReadOnlyModelViewSet):
    """Boards and their members; decree details appear only for staff of the board's district."""

    serializer_class = TrusteeBoardSerializer
    filterset_class = TrusteeBoardFilter
    ordering_fields = ("neighborhood__name", "formed_on")

    def get_queryset(self):
        return selectors.trustee_board_list()


class NeedReportViewSet(
    WriteThrottleMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    """Public need reports; board members file them, district staff move them along."""

    queryset = selectors.need_report_list()
    serializer_class = NeedReportSerializer
    filterset_class = NeedReportFilter
    ordering_fields = ("created_at", "status_changed_at")
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    def get_serializer_class(self):
        if self.action == "create":
            return NeedReportCreateSerializer
        if self.action == "change_status":
            return NeedStatusSerializer
        if self.action == "history":
            return NeedStatusChangeSerializer
        return NeedReportSerializer

    @extend_schema(
        request=NeedReportCreateSerializer,
        responses={201: NeedReportSerializer, 400: ValidationErrorSerializer, 403: ErrorSerializer},
    )
    def create(self, request, *args, **kwargs):
        """File a need for a neighbourhood whose board you are an active member of."""
        limit(request, "need_report")
        data = NeedReportCreateSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = need_report_file(reporter=request.user, **data.validated_data)
        report = self.get_queryset().get(pk=report.pk)
        body = NeedReportSerializer(report, context=self.get_serializer_context()).data
        location = request.build_absolute_uri(reverse("api:need-report-detail", args=[report.pk]))
        return Response(body, status=status.HTTP_201_CREATED, headers={"Location": location})

    @extend_schema(
        request=NeedStatusSerializer,
        responses={200: NeedReportSerializer, 400: ValidationErrorSerializer, 403: ErrorSerializer},
    )
    @action(detail=True, methods=["post"], url_path="status")
    def change_status(self, request, pk=None):
        """Move a report to its next status (staff of the report's district only)."""
        report = self.get_object()
        data = NeedStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        need_report_change_status(actor=request.user, report=report, **data.validated_data)
        report = self.get_queryset().get(pk=report.pk)
        return Response(NeedReportSerializer(report, context=self.get_serializer_context()).data)

    @extend_schema(responses={200: NeedStatusChangeSerializer(many=True), 403: ErrorSerializer})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        """Every status change with who made it and why: for the reporter and the staff in charge."""
        report = get_object_or_404(self.get_queryset(), pk=pk)
        if not request.user.is_authenticated:
            raise exceptions.NotAuthenticated
        if not can_view_need_history(request.user, report):
            raise exceptions.PermissionDenied
        changes = selectors.need_report_history(report)
        return Response(NeedStatusChangeSerializer(changes, many=True).data)
