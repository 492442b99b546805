"""Account endpoints: who am I, my data, deleting my account, and API tokens for programs."""

from __future__ import annotations

from django.contrib.auth import authenticate, logout, update_session_auth_hash
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from accounts import personal_data
from accounts.lockout import login_allowed
from accounts.models import ApiToken, ResidencyStatus, User
from accounts.residency import home_change_after
from accounts.services import (
    api_token_issue,
    api_token_revoke,
    user_delete_self,
    user_sign_out_everywhere,
    user_update_profile,
)
from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.fields import JalaliField
from core.api.throttles import RateLimited, WriteThrottleMixin, limit
from places.models import Neighborhood


def register(router: BaseRouter) -> None:
    """Accounts have no router viewsets; see ``urlpatterns`` in civic_portal.urls."""


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


class TokenRequestSerializer(serializers.Serializer):
    # No longer than an email address may be, so it always fits the lockout table's column.
    username = serializers.CharField(label=_("Mobile number or email"), max_length=254)
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)
    name = serializers.CharField(
        label=_("Device name"),
        max_length=120,
        required=False,
        allow_blank=True,
        help_text=_("Defaults to the User-Agent."),
    )


class ApiTokenSerializer(serializers.ModelSerializer):
    """A token as its owner sees it later: never the key, which is shown once."""

    created_at_jalali = JalaliField(source="created_at")
    last_used_at_jalali = JalaliField(source="last_used_at")

    class Meta:
        model = ApiToken
        fields = ("id", "name", "prefix", "created_at", "created_at_jalali", "last_used_at", "last_used_at_jalali")
        read_only_fields = fields


class TokenSerializer(ApiTokenSerializer):
    token = serializers.CharField(help_text=_("The key, shown this once: send it as 'Authorization: Token <key>'."))

    class Meta(ApiTokenSerializer.Meta):
        fields = ("token", *ApiTokenSerializer.Meta.fields)
        read_only_fields = fields


class RevokedSerializer(serializers.Serializer):
    revoked = serializers.IntegerField()


class TokenView(WriteThrottleMixin, APIView):
    """Exchange a mobile number (or email) and password for an API token.

    Counted by the sign-in limits (per address, sized for carrier NAT, and per
    account) and the lockout, like the sign-in page; the per-address ``write``
    throttle would refuse a crowd behind one carrier address, so ``post`` has
    its own limit instead.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    own_limit_actions = frozenset({"post"})

    @extend_schema(
        request=TokenRequestSerializer,
        responses={200: TokenSerializer, 400: ValidationErrorSerializer, 403: ErrorSerializer, 429: ErrorSerializer},
    )
    def post(self, request):
        data = TokenRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if not login_allowed(request, data.validated_data["username"]):
            raise RateLimited("login_account")
        user = authenticate(
            request._request,
            username=data.validated_data["username"],
            password=data.validated_data["password"],
        )
        if user is None:
            raise serializers.ValidationError(
                {"non_field_errors": [_("The mobile number or email and password do not match.")]}
            )
        name = data.validated_data.get("name") or request.headers.get("User-Agent", "")
        token, key = api_token_issue(user=user, name=name)
        return Response({"token": key, **ApiTokenSerializer(token).data}, status=status.HTTP_200_OK)


class MyTokensView(generics.ListAPIView):
    """The caller's own API tokens (one per sign-in), newest first."""

    serializer_class = ApiTokenSerializer
    permission_classes = [permissions.IsAuthenticated]

    queryset = ApiToken.objects.none()  # for the schema; requests read get_queryset()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return ApiToken.objects.none()
        return ApiToken.objects.filter(user=self.request.user).order_by("-created_at", "-id")


class MyTokenView(WriteThrottleMixin, APIView):
    """Revoke one of the caller's tokens; anyone else's is a 404."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses={204: None, 403: ErrorSerializer, 404: ErrorSerializer})
    def delete(self, request, pk: int):
        token = get_object_or_404(ApiToken, pk=pk, user=request.user)
        api_token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)


class SignOutEverywhereView(WriteThrottleMixin, APIView):
    """Revoke every token of the caller and end their other sessions (a session making this call stays)."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=None, responses={200: RevokedSerializer, 403: ErrorSerializer})
    def post(self, request):
        revoked = user_sign_out_everywhere(user=request.user)
        if request.auth is None:  # signed in by session
            update_session_auth_hash(request._request, request.user)
        return Response({"revoked": revoked})
