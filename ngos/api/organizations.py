"""/api/v1/organizations/: the registry, its lifecycle actions and its managers."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import mixins, permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.keyset import KeysetPagination
from core.api.throttles import WriteThrottleMixin, limit
from ngos import permissions as rules
from ngos import services
from ngos.api.serializers import (
    InvitationSerializer,
    ManagerSerializer,
    NoteSerializer,
    OrganizationPrivateSerializer,
    OrganizationSerializer,
    OrganizationWriteSerializer,
    ReasonSerializer,
    StatusChangeSerializer,
)
from ngos.filters import OrganizationFilter
from ngos.models import Membership, Organization
from notifications.api import FollowActionMixin

ERRORS = {400: ValidationErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
# Everyone sees the public profile; its managers and staff in scope also get the private fields.
PUBLIC_OR_PRIVATE = OpenApiResponse(
    {"anyOf": [{"$ref": "#/components/schemas/OrganizationPrivate"}, {"$ref": "#/components/schemas/Organization"}]},
    description="OrganizationPrivate for its managers and staff in scope, Organization for everyone else.",
)


class OrganizationViewSet(
    FollowActionMixin,
    WriteThrottleMixin,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    mixins.UpdateModelMixin,
    viewsets.GenericViewSet,
):
    """Verified organisations for everyone; ``status=`` reaches further only for managers and staff.

    Filters: ``search`` (Persian-normalised, name and description), ``kind``,
    ``field``, ``city``, ``district``, ``neighborhood``, ``licence``
    (valid/expiring/expired), ``status`` and ``ordering`` (name, verified,
    licence_expiry, with ``-`` for descending).
    """

    filter_backends = [DjangoFilterBackend]
    filterset_class = OrganizationFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    # Page numbers, or ``?cursor=`` for deep pages.
    pagination_class = KeysetPagination
    http_method_names = ["get", "post", "patch", "delete", "head", "options"]

    def get_queryset(self):
        return (
            rules.organizations_visible_to(self.request.user)
            .for_listing()
            .prefetch_related("neighborhoods")
            .order_by("name_normalized", "id")
        )

    def filter_queryset(self, queryset):
        """Filters narrow the list; a single record is found among all the user may see."""
        return super().filter_queryset(queryset) if self.action == "list" else queryset

    def follow_target(self, pk) -> Organization:
        """Only an organisation the caller may see can be followed: drafts are a 404."""
        return get_object_or_404(rules.organizations_visible_to(self.request.user), pk=pk)

    def may_write(self, request, organization: Organization, method: str) -> bool:
        """The browsable API's edit form, for those who may edit the organisation."""
        return method == "PATCH" and rules.can_edit_organization(request.user, organization)

    def get_serializer_class(self):
        if self.action in {"create", "update", "partial_update"}:
            return OrganizationWriteSerializer
        return OrganizationSerializer

    def _out(self, organization: Organization, *, reload: bool = True) -> dict:
        """Serialise for this user; ``reload`` re-reads a row a write just changed."""
        user = self.request.user
        private = rules.is_manager(user, organization) or rules.can_review_organization(user, organization)
        serializer = OrganizationPrivateSerializer if private else OrganizationSerializer
        if reload:
            organization = self.get_queryset().filter(pk=organization.pk).first() or organization
        return serializer(organization, context=self.get_serializer_context()).data

    @extend_schema(responses={200: PUBLIC_OR_PRIVATE, 404: ErrorSerializer})
    def retrieve(self, request, *args, **kwargs):
        # get_object() reads through get_queryset(), so the row is already fully prefetched.
        return Response(self._out(self.get_object(), reload=False))

    @extend_schema(request=OrganizationWriteSerializer, responses={201: OrganizationPrivateSerializer, **ERRORS})
    def create(self, request, *args, **kwargs):
        limit(request, "ngo_register")
        serializer = OrganizationWriteSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        basic = {key: data.pop(key) for key in OrganizationWriteSerializer.BASIC}
        basic["description"] = data.pop("description", "")
        basic["board_members"] = data.pop("board_members", "")
        organization = services.organization_register(user=request.user, details=data or None, **basic)
        return Response(self._out(organization), status=status.HTTP_201_CREATED)

    @extend_schema(request=OrganizationWriteSerializer, responses={200: OrganizationPrivateSerializer, **ERRORS})
    def update(self, request, *args, **kwargs):
        organization = self.get_object()
        if not rules.can_edit_organization(request.user, organization):
            raise PermissionDenied
        serializer = OrganizationWriteSerializer(organization, data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        changes = dict(serializer.validated_data)
        changes.pop("city", None)
        organization = services.organization_update(user=request.user, organization=organization, changes=changes)
        return Response(self._out(organization))

    @extend_schema(request=OrganizationWriteSerializer, responses={200: OrganizationPrivateSerializer, **ERRORS})
    def partial_update(self, request, *args, **kwargs):
        return super().partial_update(request, *args, **kwargs)

    # --- lifecycle -----------------------------------------------------------------
    def _lifecycle(self, request, service, serializer_class=None, field=None):
        organization = self.get_object()
        kwargs = {}
        if serializer_class is not None:
            body = serializer_class(data=request.data)
            body.is_valid(raise_exception=True)
            kwargs[field] = body.validated_data[field]
        organization = service(user=request.user, organization=organization, **kwargs)
        return Response(self._out(organization))

    @extend_schema(request=None, responses={200: OrganizationPrivateSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """A manager sends the complete draft for verification."""
        return self._lifecycle(request, services.organization_submit)

    @extend_schema(request=NoteSerializer, responses={200: OrganizationPrivateSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def verify(self, request, pk=None):
        """Staff in scope verify a submitted profile."""
        return self._lifecycle(request, services.organization_verify, NoteSerializer, "note")

    @extend_schema(request=ReasonSerializer, responses={200: OrganizationPrivateSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Staff in scope reject a submitted profile, with the reason."""
        return self._lifecycle(request, services.organization_reject, ReasonSerializer, "reason")

    @extend_schema(request=NoteSerializer, responses={200: OrganizationPrivateSerializer, **ERRORS})
    @action(detail=True, methods=["post"], url_path="request-changes")
    def request_changes(self, request, pk=None):
        """Staff in scope return a submitted profile to draft with what to fix."""
        return self._lifecycle(request, services.organization_request_changes, NoteSerializer, "note")

    @extend_schema(request=ReasonSerializer, responses={200: OrganizationPrivateSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def suspend(self, request, pk=None):
        """Staff in scope suspend a verified organisation, with the reason."""
        return self._lifecycle(request, services.organization_suspend, ReasonSerializer, "reason")

    @extend_schema(request=NoteSerializer, responses={200: OrganizationPrivateSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def reinstate(self, request, pk=None):
        """Staff in scope lift a suspension."""
        return self._lifecycle(request, services.organization_reinstate, NoteSerializer, "note")

    @extend_schema(responses={200: StatusChangeSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def history(self, request, pk=None):
        """Who moved the profile through its lifecycle, when and why (managers and staff)."""
        organization = self.get_object()
        if not (
            rules.is_manager(request.user, organization) or rules.can_review_organization(request.user, organization)
        ):
            raise PermissionDenied
        changes = organization.status_changes.select_related("actor").order_by("created_at", "id")
        return Response(StatusChangeSerializer(changes, many=True).data)

    # --- managers ------------------------------------------------------------------
    @extend_schema(responses={200: ManagerSerializer(many=True), **ERRORS})
    @action(detail=True, methods=["get"], pagination_class=None, filterset_class=None)
    def managers(self, request, pk=None):
        organization = self.get_object()
        if not rules.is_manager(request.user, organization):
            raise PermissionDenied
        memberships = organization.memberships.select_related("user")
        return Response(ManagerSerializer(memberships, many=True).data)

    @extend_schema(request=None, responses={204: None, **ERRORS})
    @action(detail=True, methods=["delete"], url_path=r"managers/(?P<membership_pk>[0-9]+)")
    def remove_manager(self, request, pk=None, membership_pk=None):
        organization = self.get_object()
        if not rules.is_manager(request.user, organization):
            raise PermissionDenied
        membership = get_object_or_404(Membership, pk=membership_pk, organization=organization)
        services.manager_remove(actor=request.user, membership=membership)
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(request=InvitationSerializer, responses={201: InvitationSerializer, **ERRORS})
    @action(detail=True, methods=["post"])
    def invitations(self, request, pk=None):
        """Invite the holder of a mobile number to manage the organisation."""
        organization = self.get_object()
        if not rules.can_manage_managers(request.user, organization):
            raise PermissionDenied
        limit(request, "ngo_invite")
        body = InvitationSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        invitation = services.manager_invite(
            actor=request.user, organization=organization, phone=body.validated_data["phone"]
        )
        return Response({"id": invitation.pk, "status": invitation.status}, status=status.HTTP_201_CREATED)
