"""REST API of the geography and neighbourhood records."""

from __future__ import annotations

from rest_framework import serializers, viewsets
from rest_framework.routers import BaseRouter

from neighborhoods.models import City, District


class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ("id", "name", "slug")


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ("id", "city", "number", "name")


class CityViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = City.objects.order_by("name")
    serializer_class = CitySerializer
    ordering_fields = ("name",)


class DistrictViewSet(viewsets.ReadOnlyModelViewSet):
    queryset = District.objects.order_by("city_id", "number")
    serializer_class = DistrictSerializer
    filterset_fields = ("city",)
    ordering_fields = ("number", "name")


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("cities", CityViewSet, basename="city")
    router.register("districts", DistrictViewSet, basename="district")
