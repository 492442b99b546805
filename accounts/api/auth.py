"""Signing in for programs: API tokens (with the staff's SMS code) and sign-in by a one-time SMS code."""

from __future__ import annotations

from django.contrib.auth import authenticate, update_session_auth_hash
from django.core.exceptions import ValidationError as DjangoValidationError
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import exceptions, generics, permissions, serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.lockout import login_allowed
from accounts.models import ApiToken, OtpPurpose, User
from accounts.otp import OtpError, OtpRefused, needs_code_after_password
from accounts.services import (
    api_token_issue,
    api_token_revoke,
    otp_send,
    otp_sign_in,
    otp_staff_sign_in,
    user_sign_out_everywhere,
)
from accounts.validators import normalize_mobile
from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.fields import JalaliField
from core.api.throttles import RateLimited, WriteThrottleMixin
from core.ratelimit import client_ip, hit


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
    code = serializers.CharField(
        label=_("Verification code"),
        max_length=20,
        required=False,
        allow_blank=True,
        help_text=_(
            "Staff accounts only: the 6-digit SMS code sent when the password was accepted (answer 202). "
            "Send the same request again with it to get the token."
        ),
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


class CodeSentSerializer(serializers.Serializer):
    detail = serializers.CharField()
    expires_in = serializers.IntegerField(help_text=_("Seconds the code stays valid."))


class MobileSerializer(serializers.Serializer):
    mobile = serializers.CharField(
        label=_("Mobile number"),
        max_length=20,
        help_text=_("An Iranian mobile number in any common spelling: 09121234567, +989121234567, Persian digits."),
    )

    def validate_mobile(self, value: str) -> str:
        try:
            return normalize_mobile(value)
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.messages) from None


class CodeSignInSerializer(MobileSerializer):
    code = serializers.CharField(
        label=_("Verification code"),
        max_length=20,
        help_text=_("The 6-digit code from the SMS; Persian digits are accepted."),
    )
    name = serializers.CharField(
        label=_("Device name"),
        max_length=120,
        required=False,
        allow_blank=True,
        help_text=_("Defaults to the User-Agent."),
    )


class CodeTokenSerializer(TokenSerializer):
    account_created = serializers.BooleanField(help_text=_("True when no account had the number and one was made."))
    account_reclaimed = serializers.BooleanField(
        help_text=_(
            "True when an account made with this number had never confirmed it: it is now this person's, "
            "with its password and email removed and its other sessions and tokens ended."
        )
    )

    class Meta(TokenSerializer.Meta):
        fields = (*TokenSerializer.Meta.fields, "account_created", "account_reclaimed")
        read_only_fields = fields


def code_refusal(exc: OtpError) -> Response:
    """A code that proved nothing, in the API's error format: 400 (``otp_invalid``, ``otp_expired``), 403 or 429."""
    if exc.status == 429:
        raise RateLimited(wait=exc.wait, detail=exc.message, code=exc.code)
    if isinstance(exc, OtpRefused):
        raise exceptions.PermissionDenied(detail=exc.message, code=exc.code)
    message = str(exc.message)
    return Response({"detail": message, "code": exc.code, "errors": {"code": [message]}}, status=400)


def _device(request, name: str | None) -> str:
    return name or request.headers.get("User-Agent", "")


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
        responses={
            200: TokenSerializer,
            202: OpenApiResponse(
                CodeSentSerializer,
                description="Staff accounts: the password is right and an SMS code was sent; send it as `code`.",
            ),
            400: ValidationErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
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
        if needs_code_after_password(user):
            code = data.validated_data.get("code")
            if not code:
                return _send_staff_code(request, user)
            try:
                otp_staff_sign_in(user=user, code=code)
            except OtpError as exc:
                return code_refusal(exc)
        token, key = api_token_issue(user=user, name=_device(request, data.validated_data.get("name")))
        return Response({"token": key, **ApiTokenSerializer(token).data}, status=status.HTTP_200_OK)


def _send_staff_code(request, user: User) -> Response:
    """A staff account's password alone gets no token: a code goes to its number (a live one is not sent again)."""
    try:
        # After a right password: not held to the per-address code limit (see accounts.views.codes._send).
        sent = otp_send(phone=user.phone, purpose=OtpPurpose.STAFF_SIGN_IN, user=user, reuse_live=True)
    except OtpError as exc:
        return code_refusal(exc)
    detail = _("The password is right. Staff accounts also need the code we sent by SMS: send it as 'code'.")
    return Response({"detail": detail, "expires_in": sent.expires_in}, status=status.HTTP_202_ACCEPTED)


class CodeRequestView(WriteThrottleMixin, APIView):
    """Send a one-time sign-in code by SMS to a mobile number.

    Anyone may ask; nothing in the answer says whether the number has an
    account. A number may ask again after a minute and five times an hour, an
    address twenty times an hour: over that, 429 with Retry-After. The write
    throttle is left to those limits, as on the token endpoint.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    own_limit_actions = frozenset({"post"})

    @extend_schema(
        request=MobileSerializer,
        responses={202: CodeSentSerializer, 400: ValidationErrorSerializer, 429: ErrorSerializer},
        examples=[OpenApiExample("A mobile number", value={"mobile": "09121234567"}, request_only=True)],
    )
    def post(self, request):
        data = MobileSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            sent = otp_send(phone=data.validated_data["mobile"], purpose=OtpPurpose.SIGN_IN, address=client_ip(request))
        except OtpError as exc:
            return code_refusal(exc)
        detail = _("A code has been sent by SMS. Send it with the mobile number to get a token.")
        return Response({"detail": detail, "expires_in": sent.expires_in}, status=status.HTTP_202_ACCEPTED)


class CodeVerifyView(WriteThrottleMixin, APIView):
    """Exchange the mobile number and its SMS code for an API token; the first time, the account is made.

    A wrong code is 400 (``otp_invalid``), an expired one 400 (``otp_expired``);
    after five wrong tries the code is dead and every try is 429, even with the
    right code. Staff accounts get 403: they use the token endpoint with their
    password and a code.
    """

    permission_classes = [permissions.AllowAny]
    authentication_classes: list = []
    own_limit_actions = frozenset({"post"})

    @extend_schema(
        request=CodeSignInSerializer,
        examples=[
            OpenApiExample(
                "The number and its code", value={"mobile": "09121234567", "code": "123456"}, request_only=True
            )
        ],
        responses={
            200: CodeTokenSerializer,
            400: ValidationErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def post(self, request):
        data = CodeSignInSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        # Tries of codes count as sign-in attempts of the address (the code itself dies after five).
        if not hit("login_ip", client_ip(request)):
            raise RateLimited("login_ip")
        try:
            result = otp_sign_in(
                phone=data.validated_data["mobile"], code=data.validated_data["code"], address=client_ip(request)
            )
        except OtpError as exc:
            return code_refusal(exc)
        token, key = api_token_issue(user=result.user, name=_device(request, data.validated_data.get("name")))
        body = {
            "token": key,
            **ApiTokenSerializer(token).data,
            "account_created": result.created,
            "account_reclaimed": result.reclaimed,
        }
        return Response(body, status=status.HTTP_200_OK)


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
