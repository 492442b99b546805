"""API representations of geography, boards and need reports.

Public output never carries a reporter's identity, a phone number of a
person, or decree details; decree fields are added only for staff of the
board's district. Every date has a Jalali twin (``term_start_jalali``).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from core.api.fields import JalaliField
from neighborhoods.models import (
    NeedCategory,
    NeedReport,
    NeedReportStatusChange,
    NeedStatus,
    NeighborhoodHouse,
    TrusteeBoard,
    Trusteeship,
)
from places.models import Area, City, District, Neighborhood


# --- geography -----------------------------------------------------------------------
class CitySerializer(serializers.ModelSerializer):
    class Meta:
        model = City
        fields = ("id", "name", "slug")


class DistrictSerializer(serializers.ModelSerializer):
    class Meta:
        model = District
        fields = ("id", "city", "number", "name")


class AreaSerializer(serializers.ModelSerializer):
    class Meta:
        model = Area
        fields = ("id", "name")


class NeighborhoodHouseSerializer(serializers.ModelSerializer):
    class Meta:
        model = NeighborhoodHouse
        fields = ("name", "address", "phone", "opening_hours")


class MemberSerializer(serializers.ModelSerializer):
    """A board member: name, category and term for everyone; the decree for staff."""

    display_name = serializers.CharField(read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    term_start_jalali = JalaliField(source="term_start")
    term_end_jalali = JalaliField(source="term_end")
    is_active = serializers.SerializerMethodField()
    decree_number = serializers.CharField(read_only=True)
    decree_date = serializers.DateField(read_only=True)
    decree_date_jalali = JalaliField(source="decree_date")
    decree_issuer = serializers.CharField(read_only=True)
    decree_file = serializers.SerializerMethodField()

    STAFF_ONLY = ("decree_number", "decree_date", "decree_date_jalali", "decree_issuer", "decree_file")

    class Meta:
        model = Trusteeship
        fields = (
            "id",
            "display_name",
            "category",
            "category_label",
            "term_start",
            "term_start_jalali",
            "term_end",
            "term_end_jalali",
            "is_active",
            "decree_number",
            "decree_date",
            "decree_date_jalali",
            "decree_issuer",
            "decree_file",
        )

    def get_is_active(self, member: Trusteeship) -> bool:
        return member.is_active(self.context.get("today"))

    def get_decree_file(self, member: Trusteeship) -> str | None:
        if not member.decree_file:
            return None
        url = reverse("neighborhoods:trusteeship_decree", args=[member.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request else url

    def to_representation(self, member: Trusteeship) -> dict:
        data = super().to_representation(member)
        if not self.context.get("show_decree"):
            for name in self.STAFF_ONLY:
                data.pop(name, None)
        return data


def _members(serializer: serializers.Serializer, members: list[Trusteeship], district_id: int) -> list[dict]:
    check = serializer.context.get("district_check")
    context = {**serializer.context, "show_decree": bool(check and check(district_id))}
    return MemberSerializer(members, many=True, context=context).data


class BoardSummarySerializer(serializers.ModelSerializer):
    active_members = serializers.SerializerMethodField()

    class Meta:
        model = TrusteeBoard
        fields = ("id", "active_members")

    def get_active_members(self, board: TrusteeBoard) -> list[dict]:
        return _members(self, board.active_members, board.neighborhood.district_id)


class NeighborhoodSerializer(serializers.ModelSerializer):
    city = serializers.IntegerField(source="district.city_id", read_only=True)
    city_name = serializers.CharField(source="district.city.name", read_only=True)
    district_name = serializers.CharField(source="district.name", read_only=True)
    area_name = serializers.CharField(source="area.name", read_only=True)
    house = serializers.SerializerMethodField()
    board = serializers.SerializerMethodField()
    open_need_count = serializers.IntegerField(read_only=True)

    class Meta:
        model = Neighborhood
        fields = (
            "id",
            "name",
            "city",
            "city_name",
            "district",
            "district_name",
            "area",
            "area_name",
            "latitude",
            "longitude",
            "house",
            "board",
            "open_need_count",
        )

    def get_house(self, place: Neighborhood) -> dict | None:
        house = getattr(place, "house", None)
        return NeighborhoodHouseSerializer(house).data if house else None

    def get_board(self, place: Neighborhood) -> dict | None:
        board = getattr(place, "board", None)
        return BoardSummarySerializer(board, context=self.context).data if board else None


class TrusteeBoardSerializer(serializers.ModelSerializer):
    neighborhood_name = serializers.CharField(source="neighborhood.name", read_only=True)
    district = serializers.IntegerField(source="neighborhood.district_id", read_only=True)
    district_name = serializers.CharField(source="neighborhood.district.name", read_only=True)
    city = serializers.IntegerField(source="neighborhood.district.city_id", read_only=True)
    formed_on_jalali = JalaliField(source="formed_on")
    members = serializers.SerializerMethodField()

    class Meta:
        model = TrusteeBoard
        fields = (
            "id",
            "neighborhood",
            "neighborhood_name",
            "district",
            "district_name",
            "city",
            "formed_on",
            "formed_on_jalali",
            "members",
        )

    def get_members(self, board: TrusteeBoard) -> list[dict]:
        """Every member on record, active and past; ``is_active`` tells them apart."""
        return _members(self, board.members, board.neighborhood.district_id)


# --- need reports ------------------------------------------------------------------------
class NeedReportSerializer(serializers.ModelSerializer):
    """A public need report: what, where and how far along; never who reported it."""

    neighborhood_name = serializers.CharField(source="neighborhood.name", read_only=True)
    district = serializers.IntegerField(source="neighborhood.district_id", read_only=True)
    district_name = serializers.CharField(source="neighborhood.district.name", read_only=True)
    city = serializers.IntegerField(source="neighborhood.district.city_id", read_only=True)
    category_label = serializers.CharField(source="get_category_display", read_only=True)
    status_label = serializers.CharField(source="get_status_display", read_only=True)
    created_at_jalali = JalaliField(source="created_at")
    status_changed_at_jalali = JalaliField(source="status_changed_at")

    class Meta:
        model = NeedReport
        fields = (
            "id",
            "neighborhood",
            "neighborhood_name",
            "district",
            "district_name",
            "city",
            "category",
            "category_label",
            "title",
            "description",
            "photo",
            "status",
            "status_label",
            "agency",
            "created_at",
            "created_at_jalali",
            "status_changed_at",
            "status_changed_at_jalali",
        )
        read_only_fields = fields


class NeedReportCreateSerializer(serializers.Serializer):
    neighborhood = serializers.PrimaryKeyRelatedField(
        label=_("Neighbourhood"), queryset=Neighborhood.objects.select_related("district")
    )
    category = serializers.ChoiceField(label=_("Category"), choices=NeedCategory.choices)
    title = serializers.CharField(label=_("Title"), max_length=160)
    description = serializers.CharField(label=_("Description"), max_length=4000)
    photo = serializers.FileField(label=_("Photo"), required=False, allow_null=True)


class NeedStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(label=_("New status"), choices=NeedStatus.choices)
    note = serializers.CharField(label=_("Note"), max_length=2000, required=False, allow_blank=True, default="")
    agency = serializers.CharField(
        label=_("Responsible agency"), max_length=160, required=False, allow_blank=True, allow_null=True, default=None
    )


class NeedStatusChangeSerializer(serializers.ModelSerializer):
    """One history step, for the reporter and the staff in charge (it names who acted)."""

    # Plain strings (a NeedStatus value, "" for the first step): one enum per choice set in the schema.
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    actor_name = serializers.SerializerMethodField()
    created_at_jalali = JalaliField(source="created_at")

    class Meta:
        model = NeedReportStatusChange
        fields = ("from_status", "to_status", "agency", "note", "actor_name", "created_at", "created_at_jalali")

    def get_actor_name(self, change: NeedReportStatusChange) -> str | None:
        return change.actor.display_name if change.actor_id else None
