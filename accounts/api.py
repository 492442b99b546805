"""Account endpoints: who am I, and API tokens for programs."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.routers import BaseRouter
from rest_framework.views import APIView

from accounts.lockout import login_allowed
from accounts.models import User
from accounts.services import api_token_issue
from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.throttles import RateLimited, WriteThrottleMixin


def register(router: BaseRouter) -> None:
    """Accounts have no router viewsets; see ``urlpatterns`` in civic_portal.urls."""


class MeSerializer(serializers.ModelSerializer):
    class Meta:
        model = User
        fields = ("id", "phone", "email", "display_name", "role", "home_neighborhood", "date_joined")
        read_only_fields = fields


class MeView(generics.RetrieveAPIView):
    """The signed-in user's own account (the only place their phone number appears)."""

    serializer_class = MeSerializer
    permission_classes = [permissions.IsAuthenticated]

    def get_object(self) -> User:
        return self.request.user


class TokenRequestSerializer(serializers.Serializer):
    username = serializers.CharField(label=_("Mobile number or email"))
    password = serializers.CharField(style={"input_type": "password"}, trim_whitespace=False)


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField()


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
        token = api_token_issue(user=user)
        return Response({"token": token.key}, status=status.HTTP_200_OK)
