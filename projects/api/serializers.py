"""Serializers of the projects API: ISO dates with Jalali twins, never a phone number or email."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from core.api.fields import AbsoluteUrlField, ChoiceLabelField, IdListField, JalaliField
from projects import conf
from projects.models import (
    Ballot,
    BudgetingResult,
    BudgetingRound,
    Category,
    Comment,
    CommentStatus,
    FlagReason,
    Phase,
    PhaseChange,
    Project,
    ProjectUpdate,
    ProposerKind,
    RoundStatus,
)


def read_only_choice(choices, *, nullable: bool = False, **kwargs) -> serializers.CharField:
    """A read-only code with its allowed values documented inline.

    Inline enums keep the schema free of enum-name clashes with the other
    apps' ``status`` and ``category`` fields.
    """
    schema = {"type": "string", "enum": [value for value, _label in choices]}
    if nullable:
        schema["nullable"] = True
    return extend_schema_field(schema)(serializers.CharField(read_only=True, **kwargs))


class PlaceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()


class DistrictRefSerializer(PlaceSerializer):
    number = serializers.IntegerField()


class ImageSerializer(serializers.Serializer):
    image = serializers.ImageField(read_only=True)
    caption = serializers.CharField(read_only=True)


class ProjectListSerializer(serializers.ModelSerializer):
    category = read_only_choice(Category.choices)
    phase = read_only_choice(Phase.choices)
    category_display = ChoiceLabelField(Category.choices, source="category")
    phase_display = ChoiceLabelField(Phase.choices, source="phase")
    city = PlaceSerializer(source="district.city", read_only=True)
    district = DistrictRefSerializer(read_only=True)
    neighborhoods = PlaceSerializer(many=True, read_only=True)
    start_date_jalali = JalaliField(source="start_date")
    end_date_jalali = JalaliField(source="end_date")
    created_at_jalali = JalaliField(source="created_at")
    viewer_supports = serializers.BooleanField(read_only=True, default=False)
    viewer_follows = serializers.BooleanField(read_only=True, default=False)
    url = AbsoluteUrlField()

    class Meta:
        model = Project
        fields = (
            "id",
            "title",
            "category",
            "category_display",
            "phase",
            "phase_display",
            "city",
            "district",
            "neighborhoods",
            "budget",
            "progress",
            "start_date",
            "start_date_jalali",
            "end_date",
            "end_date_jalali",
            "latitude",
            "longitude",
            "support_count",
            "comment_count",
            "created_at",
            "created_at_jalali",
            "viewer_supports",
            "viewer_follows",
            "url",
        )
        read_only_fields = fields


class PhaseChangeSerializer(serializers.ModelSerializer):
    from_phase = read_only_choice([("", ""), *Phase.choices])
    to_phase = read_only_choice(Phase.choices)
    changed_at_jalali = JalaliField(source="changed_at")

    class Meta:
        model = PhaseChange
        fields = ("from_phase", "to_phase", "note", "changed_at", "changed_at_jalali")


class ProjectUpdateSerializer(serializers.ModelSerializer):
    created_at_jalali = JalaliField(source="created_at")
    images = ImageSerializer(many=True, read_only=True)

    class Meta:
        model = ProjectUpdate
        fields = ("id", "text", "created_at", "created_at_jalali", "images")


class ProjectDetailSerializer(ProjectListSerializer):
    proposer_kind = read_only_choice(ProposerKind.choices)
    proposer_kind_display = serializers.CharField(source="get_proposer_kind_display", read_only=True)
    proposer_organization = PlaceSerializer(read_only=True, allow_null=True)
    images = ImageSerializer(source="image_list", many=True, read_only=True)
    updates = ProjectUpdateSerializer(source="update_list", many=True, read_only=True)
    phase_changes = PhaseChangeSerializer(source="phase_change_list", many=True, read_only=True)

    class Meta(ProjectListSerializer.Meta):
        fields = (
            *ProjectListSerializer.Meta.fields,
            "description",
            "responsible_unit",
            "proposer_kind",
            "proposer_kind_display",
            "proposer_name",
            "proposer_organization",
            "proposer_board",
            "source_plan",
            "images",
            "updates",
            "phase_changes",
        )
        read_only_fields = fields


class CommentSerializer(serializers.ModelSerializer):
    author = serializers.CharField(
        source="author_name", read_only=True, help_text=_("The author's display name; «deleted user» once they left.")
    )
    author_deleted = serializers.SerializerMethodField(help_text=_("The author has deleted their account."))
    created_at_jalali = JalaliField(source="created_at")
    parent = serializers.IntegerField(source="parent_id", required=False, allow_null=True)
    text = serializers.CharField(max_length=conf.comment_max_length())
    status = read_only_choice(CommentStatus.choices)

    class Meta:
        model = Comment
        fields = (
            "id",
            "parent",
            "author",
            "author_deleted",
            "text",
            "status",
            "created_at",
            "created_at_jalali",
            "edited_at",
        )
        read_only_fields = ("id", "author", "status", "created_at", "created_at_jalali", "edited_at")

    def get_author_deleted(self, comment: Comment) -> bool:
        return comment.author_id is None


class SupportStateSerializer(serializers.Serializer):
    supported = serializers.BooleanField()
    support_count = serializers.IntegerField()


class ResultSerializer(serializers.ModelSerializer):
    project_title = serializers.CharField(source="project.title", read_only=True)

    class Meta:
        model = BudgetingResult
        fields = ("rank", "project", "project_title", "ballots", "budget", "funded")


class EligibleProjectSerializer(serializers.ModelSerializer):
    phase = read_only_choice(Phase.choices)

    class Meta:
        model = Project
        fields = ("id", "title", "budget", "phase")


class BudgetingRoundSerializer(serializers.ModelSerializer):
    district = DistrictRefSerializer(read_only=True)
    opens_on_jalali = JalaliField(source="opens_on")
    closes_on_jalali = JalaliField(source="closes_on")
    status = read_only_choice(RoundStatus.choices)
    voting_open = serializers.SerializerMethodField()
    eligible_projects = EligibleProjectSerializer(many=True, read_only=True)
    results = serializers.SerializerMethodField()

    class Meta:
        model = BudgetingRound
        fields = (
            "id",
            "title",
            "description",
            "district",
            "total_budget",
            "opens_on",
            "opens_on_jalali",
            "closes_on",
            "closes_on_jalali",
            "status",
            "voting_open",
            "eligible_projects",
            "results",
        )
        read_only_fields = fields

    def get_voting_open(self, obj: BudgetingRound) -> bool:
        return obj.is_voting_open()

    @extend_schema_field(ResultSerializer(many=True, allow_null=True))
    def get_results(self, obj: BudgetingRound):
        if obj.status != "published":
            return None
        return ResultSerializer(obj.results.all(), many=True).data


class BallotSerializer(serializers.ModelSerializer):
    projects = IdListField(
        queryset=Project.objects.all(),
        help_text=_("Ids of the chosen eligible projects."),
    )
    updated_at_jalali = JalaliField(source="updated_at")

    class Meta:
        model = Ballot
        fields = ("projects", "created_at", "updated_at", "updated_at_jalali")
        read_only_fields = ("created_at", "updated_at", "updated_at_jalali")


class CommentFlagSerializer(serializers.Serializer):
    """A citizen's report of a published comment; enough reports hide it until staff decide."""

    reason = serializers.ChoiceField(choices=FlagReason.choices)
    note = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class PlanProjectSerializer(serializers.Serializer):
    """The project an accepted plan became."""

    id = serializers.IntegerField(read_only=True, help_text=_("The new project's id."))
    url = serializers.URLField(read_only=True, help_text=_("The project's public page."))
