"""Viewsets of the projects API; writes call the same services as the pages."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django_filters.rest_framework import DjangoFilterBackend
from drf_spectacular.utils import extend_schema
from rest_framework import permissions, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from core.api.errors import ErrorSerializer, ValidationErrorSerializer
from core.api.keyset import KeysetPagination
from core.api.throttles import WriteThrottleMixin, limit
from ngos.permissions import plans_visible_to
from notifications.api import FollowActionMixin
from projects.api.serializers import (
    BallotSerializer,
    BudgetingRoundSerializer,
    CommentFlagSerializer,
    CommentSerializer,
    PlanProjectSerializer,
    ProjectDetailSerializer,
    ProjectListSerializer,
    SupportStateSerializer,
)
from projects.filters import ProjectFilter
from projects.models import (
    Ballot,
    BudgetingResult,
    BudgetingRound,
    Comment,
    PhaseChange,
    Project,
    ProjectUpdate,
    RoundStatus,
)
from projects.permissions import can_make_project_of_plan
from projects.services import (
    ballot_submit,
    ballot_withdraw,
    comment_flag,
    comment_post,
    project_create_from_plan,
    support_cast,
    support_withdraw,
)

ERRORS = {
    400: ValidationErrorSerializer,
    401: ErrorSerializer,
    403: ErrorSerializer,
    404: ErrorSerializer,
    429: ErrorSerializer,
}


class ProjectViewSet(FollowActionMixin, WriteThrottleMixin, viewsets.ReadOnlyModelViewSet):
    """Neighbourhood projects: filter with ``search, city, district, neighborhood, phase, category, ordering``."""

    filter_backends = [DjangoFilterBackend]
    filterset_class = ProjectFilter
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    # Page numbers, or ``?cursor=`` for deep pages of the list and of a project's comments.
    pagination_class = KeysetPagination
    own_limit_actions = frozenset({"comments", "flag", "support", "follow"})

    def get_queryset(self):
        queryset = Project.objects.for_list().with_viewer_state(self.request.user)
        if self.action == "retrieve":
            queryset = queryset.select_related("proposer_organization").prefetch_related(
                Prefetch(
                    "updates",
                    queryset=ProjectUpdate.objects.prefetch_related("images"),
                    to_attr="update_list",
                ),
                Prefetch(
                    "phase_changes", queryset=PhaseChange.objects.order_by("changed_at"), to_attr="phase_change_list"
                ),
            )
        return queryset.ordered(None) if self.action != "list" else queryset

    def get_serializer_class(self):
        return ProjectDetailSerializer if self.action == "retrieve" else ProjectListSerializer

    def _project(self, pk) -> Project:
        # The city's settings come along: supports and comments read them.
        return get_object_or_404(Project.objects.select_related("district__city__participation_settings"), pk=pk)

    @extend_schema(
        methods=["GET"],
        responses={200: CommentSerializer(many=True), 404: ErrorSerializer},
        summary="Published comments",
    )
    @extend_schema(methods=["POST"], request=CommentSerializer, responses={201: CommentSerializer, **ERRORS})
    @action(detail=True, methods=["get", "post"], serializer_class=CommentSerializer, filterset_class=None)
    def comments(self, request, pk=None):
        project = self._project(pk)
        if request.method == "GET":
            queryset = (
                Comment.objects.published()
                .filter(project=project)
                .select_related("author")
                .order_by("created_at", "id")
            )
            page = self.paginate_queryset(queryset)
            return self.get_paginated_response(CommentSerializer(page, many=True).data)
        limit(request, "project_comment")
        data = CommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        parent = None
        parent_id = data.validated_data.get("parent_id")
        if parent_id:
            parent = get_object_or_404(Comment, pk=parent_id, project=project)
        comment = comment_post(project=project, author=request.user, text=data.validated_data["text"], parent=parent)
        return Response(CommentSerializer(comment).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=CommentFlagSerializer, responses={201: CommentFlagSerializer, **ERRORS})
    @action(
        detail=True,
        methods=["post"],
        url_path=r"comments/(?P<comment_id>[0-9]+)/flag",
        serializer_class=CommentFlagSerializer,
        permission_classes=[permissions.IsAuthenticated],
    )
    def flag(self, request, pk=None, comment_id=None):
        """Report a published comment of this project to the moderators (once per comment)."""
        comment = get_object_or_404(Comment.objects.published(), pk=comment_id, project_id=pk)
        limit(request, "project_flag")
        data = CommentFlagSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        comment_flag(comment=comment, user=request.user, **data.validated_data)
        return Response(data.data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: SupportStateSerializer, 201: SupportStateSerializer, **ERRORS})
    @action(detail=True, methods=["post", "delete"], serializer_class=SupportStateSerializer)
    def support(self, request, pk=None):
        project = self._project(pk)
        limit(request, "project_support")
        if request.method == "DELETE":
            support_withdraw(project=project, user=request.user)
            return Response({"supported": False, "support_count": project.support_count})
        created = support_cast(project=project, user=request.user)
        return Response(
            {"supported": True, "support_count": project.support_count},
            status=status.HTTP_201_CREATED if created else status.HTTP_200_OK,
        )

    def follow_target(self, pk) -> Project:
        return get_object_or_404(Project, pk=pk)


class BudgetingRoundViewSet(WriteThrottleMixin, viewsets.ReadOnlyModelViewSet):
    """Open and published budgeting rounds; ``/ballot/`` reads, casts, changes or withdraws your ballot."""

    serializer_class = BudgetingRoundSerializer
    permission_classes = [permissions.IsAuthenticatedOrReadOnly]
    filterset_fields = ("district", "status")
    ordering_fields = ("opens_on", "closes_on")

    def get_queryset(self):
        return (
            BudgetingRound.objects.filter(status__in=[RoundStatus.OPEN, RoundStatus.PUBLISHED])
            .select_related("district")
            .prefetch_related(
                "eligible_projects",
                Prefetch("results", queryset=BudgetingResult.objects.select_related("project").order_by("rank")),
            )
            .order_by("-opens_on", "-id")
        )

    @extend_schema(methods=["GET"], request=None, responses={200: BallotSerializer, **ERRORS})
    @extend_schema(methods=["PUT", "POST"], request=BallotSerializer, responses={200: BallotSerializer, **ERRORS})
    @extend_schema(methods=["DELETE"], request=None, responses={204: None, **ERRORS})
    @action(
        detail=True,
        methods=["get", "put", "post", "delete"],
        serializer_class=BallotSerializer,
        permission_classes=[permissions.IsAuthenticated],
    )
    def ballot(self, request, pk=None):
        budgeting_round = self.get_object()
        if request.method == "GET":
            ballot = get_object_or_404(Ballot, round=budgeting_round, voter=request.user)
            return Response(BallotSerializer(ballot).data)
        if request.method == "DELETE":
            ballot_withdraw(budgeting_round=budgeting_round, voter=request.user)
            return Response(status=status.HTTP_204_NO_CONTENT)
        data = BallotSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        ballot = ballot_submit(
            budgeting_round=budgeting_round, voter=request.user, projects=data.validated_data["projects"]
        )
        return Response(BallotSerializer(ballot).data)


class PlanProjectViewSet(WriteThrottleMixin, viewsets.GenericViewSet):
    """An organisation's accepted plan becomes a proposed project (``/plans/<id>/project/``)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = PlanProjectSerializer

    def get_queryset(self):
        return plans_visible_to(self.request.user).select_related("organization")

    @extend_schema(
        request=None,
        responses={201: PlanProjectSerializer, **ERRORS},
        summary="Create a project from an accepted plan",
    )
    @action(detail=True, methods=["post"], url_path="project", url_name="create")
    def create_project(self, request, pk=None):
        """Staff of the plan's district; refused (400) unless the plan is accepted and has no project yet."""
        plan = self.get_object()
        if not can_make_project_of_plan(request.user, plan):
            raise PermissionDenied
        project = project_create_from_plan(plan=plan, actor=request.user)
        body = {"id": project.pk, "url": request.build_absolute_uri(project.get_absolute_url())}
        return Response(PlanProjectSerializer(body).data, status=status.HTTP_201_CREATED)
