"""Neighbourhood projects, their phase history and the official updates staff post."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Exists, F, OuterRef, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.persian import normalize
from core.uploads import UploadPath
from notifications.selectors import follows_expression
from places.models import Neighborhood
from projects.models.participation import Support


class Category(models.TextChoices):
    URBAN_DEVELOPMENT = "urban_development", _("Urban development")
    TRANSPORT = "transport", _("Transport and traffic")
    GREEN_SPACE = "green_space", _("Green space")
    CULTURE = "culture", _("Culture")
    SPORT = "sport", _("Sport")
    SOCIAL_SERVICES = "social_services", _("Social services")
    HEALTH = "health", _("Health")
    SAFETY = "safety", _("Safety")
    OTHER = "other", _("Other")


class Phase(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    UNDER_REVIEW = "under_review", _("Under review")
    APPROVED = "approved", _("Approved")
    IN_EXECUTION = "in_execution", _("In execution")
    COMPLETED = "completed", _("Completed")
    REJECTED = "rejected", _("Rejected")


# Citizens may support (and withdraw support from) a project only while it is
# still being decided on.
SUPPORTABLE_PHASES = frozenset({Phase.PROPOSED, Phase.UNDER_REVIEW})

# The phase graph: proposed → under review → approved → in execution →
# completed, with rejection possible until work starts and a rejected project
# open to reconsideration.
PHASE_TRANSITIONS: dict[str, frozenset[str]] = {
    Phase.PROPOSED: frozenset({Phase.UNDER_REVIEW, Phase.REJECTED}),
    Phase.UNDER_REVIEW: frozenset({Phase.APPROVED, Phase.REJECTED, Phase.PROPOSED}),
    Phase.APPROVED: frozenset({Phase.IN_EXECUTION, Phase.REJECTED}),
    Phase.IN_EXECUTION: frozenset({Phase.COMPLETED}),
    Phase.COMPLETED: frozenset(),
    Phase.REJECTED: frozenset({Phase.UNDER_REVIEW}),
}


class ProposerKind(models.TextChoices):
    MUNICIPALITY = "municipality", _("Municipality")
    ORGANIZATION = "organization", _("Organisation")
    TRUSTEE_BOARD = "trustee_board", _("Trustee board")
    CITIZEN = "citizen", _("Citizen")


class ProjectQuerySet(QuerySet):
    """Reads the list page, the project page, the API and the exports share."""

    def for_list(self) -> ProjectQuerySet:
        return self.select_related("district__city__participation_settings").prefetch_related(
            Prefetch("neighborhoods", queryset=Neighborhood.objects.order_by("name").only("id", "name", "district_id")),
            Prefetch("images", queryset=ProjectImage.objects.order_by("position", "id"), to_attr="image_list"),
        )

    def search(self, query: str | None) -> ProjectQuerySet:
        """Every word of the query, normalised, must occur in the title or description."""
        terms = normalize(query).split()
        qs = self
        for term in terms[:10]:
            qs = qs.filter(search_text__contains=term)
        return qs

    def with_viewer_state(self, user) -> ProjectQuerySet:
        """Annotate whether ``user`` supports and follows each project, in the same query."""
        if not getattr(user, "is_authenticated", False):
            return self.annotate(viewer_supports=Value(False), viewer_follows=Value(False))

        return self.annotate(
            viewer_supports=Exists(Support.objects.filter(project=OuterRef("pk"), user=user)),
            viewer_follows=follows_expression(user, self.model),
        )

    def ordered(self, ordering: str | None) -> ProjectQuerySet:
        """Apply one of the public orderings; unknown values fall back to newest first."""
        if ordering == "most_supported":
            return self.order_by("-support_count", "-created_at", "-id")
        if ordering == "most_discussed":
            return self.order_by("-comment_count", "-created_at", "-id")
        if ordering == "ending_soon":
            today = timezone.localdate()
            return self.annotate(
                has_ended=Case(When(end_date__lt=today, then=Value(1)), default=Value(0)),
            ).order_by("has_ended", F("end_date").asc(nulls_last=True), "-id")
        return self.order_by("-created_at", "-id")


ORDERING_CHOICES = [
    ("newest", _("Newest")),
    ("most_supported", _("Most supported")),
    ("most_discussed", _("Most discussed")),
    ("ending_soon", _("Ending soon")),
]


class Project(models.Model):
    title = models.CharField(_("title"), max_length=200)
    title_normalized = models.CharField(max_length=200, editable=False, db_index=True)
    description = models.TextField(_("description"), blank=True)
    search_text = models.TextField(editable=False, default="")
    category = models.CharField(_("category"), max_length=32, choices=Category.choices, default=Category.OTHER)
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="projects", verbose_name=_("district")
    )
    neighborhoods = models.ManyToManyField(
        "places.Neighborhood", blank=True, related_name="projects", verbose_name=_("neighbourhoods")
    )
    budget = models.PositiveBigIntegerField(_("budget (rial)"), default=0)
    responsible_unit = models.CharField(_("responsible unit"), max_length=200, blank=True)
    # The id the project has in the municipality's own list; a second import of it is refused.
    external_id = models.CharField(_("external id"), max_length=64, blank=True, default="", db_index=True)
    proposer_kind = models.CharField(
        _("proposed by"), max_length=20, choices=ProposerKind.choices, default=ProposerKind.MUNICIPALITY
    )
    proposer_name = models.CharField(
        _("proposer name"),
        max_length=200,
        blank=True,
        help_text=_("The organisation, board or unit that proposed the project, as shown to the public."),
    )
    proposer_organization = models.ForeignKey(
        "ngos.Organization",
        verbose_name=_("proposing organisation"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_projects",
    )
    proposer_board = models.ForeignKey(
        "neighborhoods.TrusteeBoard",
        verbose_name=_("proposing trustee board"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_projects",
    )
    source_plan = models.OneToOneField(
        "ngos.Plan",
        verbose_name=_("from the organisation's plan"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="resulting_project",
    )
    proposer_user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("proposing citizen"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposed_projects",
    )
    phase = models.CharField(_("phase"), max_length=20, choices=Phase.choices, default=Phase.PROPOSED)
    progress = models.PositiveSmallIntegerField(
        _("progress (%)"), default=0, validators=[MinValueValidator(0), MaxValueValidator(100)]
    )
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    # Kept exact by the services in the same transaction as the change they count.
    support_count = models.PositiveIntegerField(_("supports"), default=0, editable=False)
    comment_count = models.PositiveIntegerField(_("published comments"), default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = ProjectQuerySet.as_manager()

    class Meta:
        verbose_name = _("project")
        verbose_name_plural = _("projects")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["district", "phase"], name="project_district_phase"),
            models.Index(fields=["phase", "category"], name="project_phase_category"),
            models.Index(fields=["-support_count", "-created_at"], name="project_most_supported"),
            models.Index(fields=["-comment_count", "-created_at"], name="project_most_discussed"),
            models.Index(fields=["end_date"], name="project_end_date"),
            # The list's default order (newest first) alone and under each filter it offers;
            # the trailing id makes the order total, so keyset pages never skip or repeat.
            models.Index(fields=["-created_at", "-id"], name="project_newest"),
            models.Index(fields=["district", "-created_at", "-id"], name="project_district_newest"),
            models.Index(fields=["phase", "-created_at", "-id"], name="project_phase_newest"),
            models.Index(fields=["category", "-created_at", "-id"], name="project_category_newest"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="project_progress_max_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True) | Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="project_end_after_start",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.refresh_search_fields()
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and {"title", "description"} & set(update_fields):
            kwargs["update_fields"] = {*update_fields, "title_normalized", "search_text"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return f"/projects/{self.pk}/"

    def refresh_search_fields(self) -> None:
        """Fold the title's whitespace and store the normalised twins; bulk writes call this as ``save`` does."""
        self.title = " ".join(self.title.split())
        self.title_normalized = normalize(self.title)[:200]
        self.search_text = f"{self.title_normalized} {normalize(self.description)}".strip()

    @property
    def is_supportable(self) -> bool:
        return self.phase in SUPPORTABLE_PHASES

    @property
    def days_left(self) -> int | None:
        if self.end_date is None:
            return None
        return (self.end_date - timezone.localdate()).days

    def allowed_next_phases(self) -> list[str]:
        return [p for p in Phase.values if p in PHASE_TRANSITIONS[self.phase]]


class ProjectImage(models.Model):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="images", verbose_name=_("project"))
    image = models.ImageField(_("image"), upload_to=UploadPath("projects"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("project image")
        verbose_name_plural = _("project images")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.caption or self.image.name


class PhaseChange(models.Model):
    """One step on a project's timeline: who moved it, when and why."""

    project = models.ForeignKey(
        Project, on_delete=models.CASCADE, related_name="phase_changes", verbose_name=_("project")
    )
    from_phase = models.CharField(_("from"), max_length=20, choices=Phase.choices, blank=True)
    to_phase = models.CharField(_("to"), max_length=20, choices=Phase.choices)
    note = models.TextField(_("note"), blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("changed by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    changed_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["project", "changed_at"], name="phasechange_project_time")]

    def __str__(self) -> str:
        return _("%(old)s → %(new)s") % {"old": self.get_from_phase_display(), "new": self.get_to_phase_display()}


class ProjectUpdate(models.Model):
    """An official update on a project's progress, posted by staff."""

    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="updates", verbose_name=_("project"))
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("author"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField(_("text"))
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("official update")
        verbose_name_plural = _("official updates")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["project", "created_at"], name="update_project_time")]

    def __str__(self) -> str:
        return self.text[:60]


class ProjectUpdateImage(models.Model):
    update = models.ForeignKey(
        ProjectUpdate, on_delete=models.CASCADE, related_name="images", verbose_name=_("official update")
    )
    image = models.ImageField(_("image"), upload_to=UploadPath("project-updates"))
    caption = models.CharField(_("caption"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("update image")
        verbose_name_plural = _("update images")
        ordering = ["id"]

    def __str__(self) -> str:
        return self.caption or self.image.name
