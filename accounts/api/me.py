"""The signed-in citizen's own account: who am I, changing it, my data, deleting it."""

from __future__ import annotations

from django.contrib.auth import logout
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import personal_data
from accounts.models import ResidencyStatus, User
from accounts.residency import home_change_after
from accounts.services import (
    user_delete_self,
    user_update_profile,
)
from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.throttles import WriteThrottleMixin, limit
from places.models import Neighborhood


class NeighborhoodRefSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class ResidencySerializer(serializers.Serializer):
    """Where the user lives as the portal knows it, and when they may move again."""

    neighborhood = NeighborhoodRefSerializer(source="home_neighborhood", allow_null=True)
    status = serializers.ChoiceField(
        source="residency_status",
        choices=ResidencyStatus.choices,
        help_text=_("declared: set by the user; verified: confirmed by staff or the city's census list."),
    )
    since = serializers.DateTimeField(source="home_since", allow_null=True)
    can_change_after = serializers.SerializerMethodField(
        help_text=_("From this moment another home neighbourhood may be chosen; null: now.")
    )

    @extend_schema_field(serializers.DateTimeField(allow_null=True))
    def get_can_change_after(self, user: User):
        after = home_change_after(user) if user.home_since else None
        return serializers.DateTimeField().to_representation(after) if after else None


class MeSerializer(serializers.ModelSerializer):
    """The user's own account. ``PATCH`` changes ``display_name``, ``email`` and ``home_neighborhood``.

    The mobile number changes only by the SMS flow, and the national code only on the profile page.
    """

    mobile_verified = serializers.BooleanField(read_only=True)
    residency = ResidencySerializer(source="*", read_only=True)
    home_neighborhood = serializers.PrimaryKeyRelatedField(
        queryset=Neighborhood.objects.select_related("district"), allow_null=True, required=False
    )
    display_name = serializers.CharField(max_length=80, required=False)
    email = serializers.EmailField(max_length=254, allow_null=True, allow_blank=True, required=False)

    class Meta:
        model = User
        fields = (
            "id",
            "phone",
            "email",
            "display_name",
            "role",
            "home_neighborhood",
            "date_joined",
            "mobile_verified",
            "residency",
        )
        read_only_fields = ("id", "phone", "role", "date_joined")

    def update(self, instance: User, validated_data: dict) -> User:
        return user_update_profile(
            user=instance,
            display_name=validated_data.get("display_name", instance.display_name),
            email=validated_data.get("email", instance.email) or None,
            national_code=instance.national_code,
            home_neighborhood=validated_data.get("home_neighborhood", instance.home_neighborhood),
        )


class MeView(WriteThrottleMixin, generics.RetrieveUpdateAPIView):
    """The signed-in user's own account (the only place their phone number appears).

    ``PATCH`` changes the display name, email or home neighbourhood; a move
    within the city's cooldown is a 400 on ``home_neighborhood`` naming the
    date from which it is possible. ``DELETE`` closes the account.
    """

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]
    http_method_names = ["get", "patch", "delete", "head", "options"]

    def get_object(self) -> User:
        return User.objects.select_related("home_neighborhood").get(pk=self.request.user.pk)

    @extend_schema(responses={200: MeSerializer, 400: ValidationErrorSerializer, 403: ErrorSerializer})
    def patch(self, request, *args, **kwargs):
        return super().patch(request, *args, **kwargs)

    @extend_schema(
        request=None,
        responses={
            204: OpenApiResponse(description="The account is deleted; this token and every session end with it."),
            400: OpenApiResponse(
                ValidationErrorSerializer,
                description="The account still holds something that must be handed on first (the messages say what).",
            ),
            403: OpenApiResponse(ErrorSerializer, description="Not signed in, or a staff account."),
        },
    )
    def delete(self, request):
        """Delete the caller's own account for good: what they posted stays under "deleted user"."""
        try:
            user_delete_self(user=request.user)
        except PermissionDenied as refused:
            raise exceptions.PermissionDenied(str(refused), code="staff_account") from refused
        if request.auth is None:  # signed in by session: this browser's session goes too
            logout(request._request)
        return Response(status=status.HTTP_204_NO_CONTENT)


# One field per section the export promises (``personal_data.SECTIONS``): most are lists of rows,
# a few one object (the profile, notification preferences); a section nobody registered is [].
PersonalDataSerializer = type(
    "PersonalDataSerializer",
    (serializers.Serializer,),
    {
        "format": serializers.IntegerField(),
        "exported_at": serializers.DateTimeField(),
        "exported_at_jalali": serializers.CharField(),
        **{name: serializers.JSONField() for name in personal_data.SECTIONS},
    },
)


class MyDataView(APIView):
    """Everything the portal keeps that is the caller's own, as one JSON document (limited per account)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={200: PersonalDataSerializer, 403: ErrorSerializer, 429: ErrorSerializer})
    def get(self, request):
        limit(request, "account_export")
        return Response(personal_data.export_for(request.user))
