"""Serializers of the organisations API. Dates are ISO with a ``*_jalali`` twin.

Public serializers never carry phone numbers, emails or the licence scan;
``OrganizationPrivateSerializer`` adds them for managers and staff in scope
(the scan as the address of its permission-checked download view).
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _
from rest_framework import serializers

from core.api.fields import AbsoluteUrlField, ChoiceLabelField, IdListField, JalaliField
from core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, validate_upload
from ngos.models import (
    Application,
    FieldOfActivity,
    LicenceIssuer,
    Meeting,
    Opportunity,
    Organization,
    OrganizationKind,
    Plan,
    PlanStatus,
    RsvpResponse,
    StatusChange,
)
from places.models import City, District, Neighborhood


class SafeFileField(serializers.FileField):
    """An upload judged by its content (``core.uploads``), stored under a random name."""

    def __init__(self, *, kinds=DOCUMENT_KINDS, **kwargs):
        self.kinds = kinds
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        return validate_upload(super().to_internal_value(data), kinds=self.kinds)


class PrivateFileField(SafeFileField):
    """A file in private storage: read out as the address of its permission-checked download view.

    Storage gives such files no URL, so this never falls back to a media
    address; ``download_view`` takes the record's pk.
    """

    def __init__(self, *, download_view: str, **kwargs):
        self.download_view = download_view
        super().__init__(**kwargs)

    def to_representation(self, value) -> str | None:
        if not value:
            return None
        url = reverse(self.download_view, args=[value.instance.pk])
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url


class OrganizationSerializer(serializers.ModelSerializer):
    kind_display = ChoiceLabelField(OrganizationKind.choices, source="kind")
    city_name = serializers.CharField(source="city.name", read_only=True)
    activities = serializers.SerializerMethodField()
    board_members = serializers.ListField(source="board_member_list", read_only=True)
    licence_status = serializers.CharField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="draft, submitted, verified, rejected or suspended")
    licence_issued_on_jalali = JalaliField(source="licence_issued_on")
    licence_expires_on_jalali = JalaliField(source="licence_expires_on")
    verified_at_jalali = JalaliField(source="verified_at")
    logo = serializers.FileField(read_only=True, use_url=True)
    url = AbsoluteUrlField(help_text="Path of the public page.")

    class Meta:
        model = Organization
        fields = (
            "id",
            "name",
            "kind",
            "kind_display",
            "city",
            "city_name",
            "districts",
            "neighborhoods",
            "activities",
            "summary",
            "description",
            "managing_director",
            "board_members",
            "address",
            "website",
            "logo",
            "registration_number",
            "licence_issuer",
            "licence_number",
            "licence_issued_on",
            "licence_issued_on_jalali",
            "licence_expires_on",
            "licence_expires_on_jalali",
            "licence_status",
            "status",
            "verified_at",
            "verified_at_jalali",
            "url",
        )
        read_only_fields = fields

    def get_activities(self, organization: Organization) -> list[str]:
        return [a.code for a in organization.activities.all()]


class OrganizationPrivateSerializer(OrganizationSerializer):
    """What managers and reviewing staff see in addition."""

    licence_document = PrivateFileField(read_only=True, download_view="ngos:licence_document")
    created_at_jalali = JalaliField(source="created_at")

    class Meta(OrganizationSerializer.Meta):
        fields = (
            *OrganizationSerializer.Meta.fields,
            "phone",
            "email",
            "licence_document",
            "review_note",
            "status_changed_at",
            "created_at",
            "created_at_jalali",
        )
        read_only_fields = fields


class ActivityCodesField(serializers.ListField):
    """Field-of-activity codes in and out; reading an organisation (the browsable API's edit form) lists its codes."""

    def to_representation(self, data):
        if hasattr(data, "all"):
            data = [activity.code for activity in data.all()]
        return super().to_representation(data)


class OrganizationWriteSerializer(serializers.Serializer):
    """Input for register (POST) and edit (PATCH); the services do the writing."""

    city = serializers.PrimaryKeyRelatedField(queryset=City.objects.all())
    kind = serializers.ChoiceField(choices=OrganizationKind.choices)
    name = serializers.CharField(max_length=200)
    registration_number = serializers.CharField(max_length=40)
    managing_director = serializers.CharField(max_length=120)
    summary = serializers.CharField(max_length=300)
    description = serializers.CharField(required=False, allow_blank=True)
    board_members = serializers.CharField(required=False, allow_blank=True)
    licence_number = serializers.CharField(required=False, allow_blank=True, max_length=60)
    licence_issuer = serializers.ChoiceField(choices=LicenceIssuer.choices, required=False, allow_blank=True)
    licence_issued_on = serializers.DateField(required=False, allow_null=True)
    licence_expires_on = serializers.DateField(required=False, allow_null=True)
    licence_document = SafeFileField(required=False, kinds=DOCUMENT_KINDS)
    logo = SafeFileField(required=False, kinds=IMAGE_KINDS)
    activities = ActivityCodesField(
        child=serializers.ChoiceField(choices=FieldOfActivity.choices),
        required=False,
        allow_empty=True,
        max_length=len(FieldOfActivity.choices),
    )
    districts = IdListField(queryset=District.objects.all(), required=False)
    neighborhoods = IdListField(queryset=Neighborhood.objects.all(), required=False)
    address = serializers.CharField(required=False, allow_blank=True)
    phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
    email = serializers.EmailField(required=False, allow_blank=True)
    website = serializers.URLField(required=False, allow_blank=True)

    BASIC = ("city", "kind", "name", "registration_number", "managing_director", "summary")

    def validate(self, attrs):
        issued, expires = attrs.get("licence_issued_on"), attrs.get("licence_expires_on")
        if self.instance is not None:
            issued = attrs.get("licence_issued_on", self.instance.licence_issued_on)
            expires = attrs.get("licence_expires_on", self.instance.licence_expires_on)
            if "city" in attrs and attrs["city"].pk != self.instance.city_id:
                raise serializers.ValidationError(
                    {"city": [_("The city of a registered organisation cannot be changed.")]}
                )
        if issued and expires and expires < issued:
            raise serializers.ValidationError(
                {"licence_expires_on": [_("The expiry date must be after the issue date.")]}
            )
        return attrs


class NoteSerializer(serializers.Serializer):
    note = serializers.CharField(required=False, allow_blank=True, default="")


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class StatusChangeSerializer(serializers.ModelSerializer):
    # Plain strings: the values are those of ``status`` on the organisation.
    from_status = serializers.CharField(read_only=True)
    to_status = serializers.CharField(read_only=True)
    actor = serializers.CharField(source="actor.display_name", default=None, read_only=True, allow_null=True)
    created_at_jalali = JalaliField(source="created_at")

    class Meta:
        model = StatusChange
        fields = ("from_status", "to_status", "actor", "note", "created_at", "created_at_jalali")


class InvitationSerializer(serializers.Serializer):
    phone = serializers.CharField(max_length=20, write_only=True)
    id = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True)


class ManagerSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    user = serializers.IntegerField(source="user_id", read_only=True)
    display_name = serializers.CharField(source="user.display_name", read_only=True)
    since = serializers.DateTimeField(source="created_at", read_only=True)


# --- plans, meetings, volunteer club ----------------------------------------------
class PlanSerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    target_neighborhoods = IdListField(queryset=Neighborhood.objects.all())
    attachment = PrivateFileField(required=False, kinds=DOCUMENT_KINDS, download_view="ngos:plan_attachment")
    status = serializers.CharField(read_only=True, help_text="submitted, under_review, accepted or returned")
    submitted_at_jalali = JalaliField(source="submitted_at")
    reviewed_at_jalali = JalaliField(source="reviewed_at")

    class Meta:
        model = Plan
        fields = (
            "id",
            "organization",
            "title",
            "description",
            "target_neighborhoods",
            "estimated_budget",
            "attachment",
            "status",
            "review_comment",
            "submitted_at",
            "submitted_at_jalali",
            "reviewed_at",
            "reviewed_at_jalali",
        )
        read_only_fields = ("status", "review_comment", "submitted_at", "reviewed_at")


class PlanResubmitSerializer(PlanSerializer):
    organization = serializers.PrimaryKeyRelatedField(read_only=True)


class PlanReviewSerializer(serializers.Serializer):
    decision = serializers.ChoiceField(
        choices=[(s.value, s.label) for s in (PlanStatus.UNDER_REVIEW, PlanStatus.ACCEPTED, PlanStatus.RETURNED)]
    )
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class MeetingSerializer(serializers.ModelSerializer):
    starts_at_jalali = JalaliField(source="starts_at")
    minutes_published_at_jalali = JalaliField(source="minutes_published_at")

    class Meta:
        model = Meeting
        fields = (
            "id",
            "city",
            "district",
            "title",
            "starts_at",
            "starts_at_jalali",
            "place",
            "agenda",
            "minutes",
            "minutes_published_at",
            "minutes_published_at_jalali",
        )
        read_only_fields = ("minutes", "minutes_published_at")


class RsvpSerializer(serializers.Serializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    response = serializers.ChoiceField(choices=RsvpResponse.choices)


class MinutesSerializer(serializers.Serializer):
    minutes = serializers.CharField()


class OpportunitySerializer(serializers.ModelSerializer):
    organization = serializers.PrimaryKeyRelatedField(queryset=Organization.objects.all())
    organization_name = serializers.CharField(source="organization.name", read_only=True)
    date_jalali = JalaliField(source="date")
    free_places = serializers.IntegerField(read_only=True)
    status = serializers.CharField(read_only=True, help_text="open or closed")

    class Meta:
        model = Opportunity
        fields = (
            "id",
            "organization",
            "organization_name",
            "title",
            "description",
            "date",
            "date_jalali",
            "place",
            "district",
            "places",
            "free_places",
            "status",
        )
        read_only_fields = ("status",)


class ApplySerializer(serializers.Serializer):
    message = serializers.CharField(required=False, allow_blank=True, default="", max_length=2000)


class ApplicationSerializer(serializers.ModelSerializer):
    status = serializers.CharField(read_only=True, help_text="pending, accepted, declined or withdrawn")
    volunteer_name = serializers.CharField(source="volunteer.display_name", read_only=True)
    created_at_jalali = JalaliField(source="created_at")

    class Meta:
        model = Application
        fields = (
            "id",
            "opportunity",
            "volunteer_name",
            "message",
            "status",
            "created_at",
            "created_at_jalali",
            "decided_at",
        )
        read_only_fields = fields
