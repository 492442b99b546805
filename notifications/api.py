"""REST API: the signed-in user's own inbox and notification preferences.

``/api/v1/notifications/``                 list (``?unread=true``), retrieve
``/api/v1/notifications/<id>/read/``       POST: mark one read
``/api/v1/notifications/read-all/``        POST: mark all read
``/api/v1/notifications/preferences/``     GET, PUT/PATCH: channels per event and the summary email

``FollowActionMixin`` gives the viewsets of things people follow their
``POST`` / ``DELETE …/<id>/follow/``.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import BaseRouter

from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.fields import JalaliField
from core.api.parsers import JSONParser
from core.api.throttles import WriteThrottleMixin, limit
from notifications.events import user_events
from notifications.filters import NotificationFilter
from notifications.models import DigestFrequency, Notification
from notifications.permissions import notifications_of
from notifications.selectors import digest_of, is_subscribed_to_id, preferences_of
from notifications.services import (
    notification_mark_read,
    notifications_mark_all_read,
    preferences_update,
    subscribe,
    unsubscribe,
)


def register(router: BaseRouter) -> None:
    """Add this app's viewsets to the /api/v1/ router."""
    router.register("notifications", NotificationViewSet, basename="notification")


class NotificationSerializer(serializers.ModelSerializer):
    event_label = serializers.SerializerMethodField()
    target_type = serializers.SerializerMethodField()
    created_at_jalali = JalaliField(source="created_at")
    read_at_jalali = JalaliField(source="read_at")
    is_read = serializers.BooleanField(read_only=True)

    class Meta:
        model = Notification
        fields = (
            "id",
            "event",
            "event_label",
            "subject",
            "body",
            "url",
            "target_type",
            "target_id",
            "target_repr",
            "created_at",
            "created_at_jalali",
            "read_at",
            "read_at_jalali",
            "is_read",
        )
        read_only_fields = fields

    def get_event_label(self, obj: Notification) -> str:
        return obj.get_event_display()

    def get_target_type(self, obj: Notification) -> str | None:
        """``app_label.model``; content types are cached, so this costs no query per row."""
        if obj.target_type_id is None:
            return None
        content_type = ContentType.objects.get_for_id(obj.target_type_id)
        return f"{content_type.app_label}.{content_type.model}"


class PreferencesSerializer(serializers.Serializer):
    digest = serializers.ChoiceField(choices=DigestFrequency.choices, required=False)
    events = serializers.DictField(
        child=serializers.DictField(child=serializers.BooleanField()),
        required=False,
        help_text="{event: {channel: true|false}}; events and channels left out keep their setting.",
    )
    event_labels = serializers.DictField(child=serializers.CharField(), read_only=True)


class MarkedReadSerializer(serializers.Serializer):
    marked = serializers.IntegerField(help_text="How many notifications were unread and are now read.")


class NotificationViewSet(
    WriteThrottleMixin, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """The signed-in user's in-app notifications, newest first. Nobody sees anyone else's."""

    serializer_class = NotificationSerializer
    permission_classes = [permissions.IsAuthenticated]
    filterset_class = NotificationFilter
    ordering_fields = ["created_at"]

    def get_queryset(self):
        return notifications_of(self.request.user)

    @extend_schema(request=None, responses={200: NotificationSerializer, 404: ErrorSerializer})
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        """Mark one notification read."""
        notification = notification_mark_read(user=request.user, notification=self.get_object())
        return Response(self.get_serializer(notification).data)

    @extend_schema(request=None, responses={200: MarkedReadSerializer})
    @action(detail=False, methods=["post"], url_path="read-all", filterset_class=None)
    def read_all(self, request):
        """Mark every unread notification read."""
        return Response({"marked": notifications_mark_all_read(user=request.user)})

    @extend_schema(
        methods=["GET"], request=None, responses={200: PreferencesSerializer}, operation_id="notification_preferences"
    )
    @extend_schema(
        methods=["PUT", "PATCH"],
        request=PreferencesSerializer,
        responses={200: PreferencesSerializer, 400: ValidationErrorSerializer},
    )
    @action(
        detail=False,
        methods=["get", "put", "patch"],
        serializer_class=PreferencesSerializer,
        filterset_class=None,
        pagination_class=None,
        parser_classes=[JSONParser],  # nested choices do not fit a form
        metadata_class=None,  # DRF's OPTIONS would look for an object to check PUT against; there is none
    )
    def preferences(self, request):
        """Channels per event and the summary email; PUT and PATCH both change only what they name."""
        if request.method != "GET":
            data = PreferencesSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            validated = data.validated_data
            preferences_update(user=request.user, choices=validated.get("events", {}), digest=validated.get("digest"))
        return Response(
            {
                "digest": digest_of(request.user),
                "events": preferences_of(request.user),
                "event_labels": {event.key: str(event.label) for event in user_events()},
            }
        )


# --- follows ----------------------------------------------------------------------------
class FollowStateSerializer(serializers.Serializer):
    following = serializers.BooleanField()


FOLLOW_ERRORS = {
    400: ValidationErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    429: ErrorSerializer,
}


class FollowActionMixin(WriteThrottleMixin):
    """``POST`` / ``DELETE …/<id>/follow/`` on the viewset of a followable kind.

    The object comes from ``follow_target`` (``get_object()`` unless the
    viewset says otherwise), so what the caller may not see is a 404. Each call
    counts against the same per-user limit as the follow button on the pages,
    instead of the ``write`` throttle (a viewset naming its own
    ``own_limit_actions`` must include ``follow``).
    """

    own_limit_actions = frozenset({"follow"})

    def follow_target(self, pk):
        return self.get_object()

    def _target(self, request, pk):
        """What the caller may see; to stop following, also what they follow and no longer see."""
        try:
            return self.follow_target(pk)
        except Http404:
            if request.method != "DELETE":
                raise
            model = self.get_queryset().model
            if not is_subscribed_to_id(user=request.user, model=model, pk=pk):
                raise
            return model._default_manager.get(pk=pk)

    @extend_schema(
        methods=["POST"],
        request=None,
        responses={200: FollowStateSerializer, 201: FollowStateSerializer, **FOLLOW_ERRORS},
        description="Follow it: 201 when the follow is new, 200 when you already followed it.",
    )
    @extend_schema(
        methods=["DELETE"],
        request=None,
        responses={200: FollowStateSerializer, **FOLLOW_ERRORS},
        description="Stop following it (200 also when you did not follow it).",
    )
    @action(
        detail=True,
        methods=["post", "delete"],
        serializer_class=FollowStateSerializer,
        permission_classes=[permissions.IsAuthenticated],
        filterset_class=None,
        pagination_class=None,
    )
    def follow(self, request, pk=None):
        target = self._target(request, pk)
        limit(request, "project_follow")
        if request.method == "DELETE":
            unsubscribe(user=request.user, target=target)
            return Response({"following": False})
        created = subscribe(user=request.user, target=target)
        return Response({"following": True}, status=status.HTTP_201_CREATED if created else status.HTTP_200_OK)
