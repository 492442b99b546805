"""The volunteer club: citizens' profiles, organisations' opportunities, applications."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _

from core.persian import normalize
from ngos.models.choices import PLACE_HOLDING, ApplicationStatus, Availability, OpportunityStatus, OrganizationStatus
from ngos.models.organizations import Organization


class VolunteerProfile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="volunteer_profile", verbose_name=_("user")
    )
    skills = models.TextField(_("skills"), help_text=_("What you can do, e.g. first aid, teaching, carpentry."))
    skills_normalized = models.TextField(editable=False, blank=True)
    districts = models.ManyToManyField(
        "places.District", related_name="volunteers", verbose_name=_("districts you can help in")
    )
    availability = models.CharField(_("availability"), max_length=20, choices=Availability.choices)
    note = models.TextField(_("anything else"), blank=True)
    created_at = models.DateTimeField(_("joined"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer profile")
        verbose_name_plural = _("volunteer profiles")

    def __str__(self) -> str:
        return str(self.user)

    def save(self, *args, **kwargs):
        self.skills_normalized = normalize(self.skills)
        super().save(*args, **kwargs)


class OpportunityQuerySet(models.QuerySet):
    def with_taken_places(self) -> OpportunityQuerySet:
        return self.annotate(
            taken_places=Count("applications", filter=Q(applications__status__in=PLACE_HOLDING), distinct=True)
        )

    def public(self) -> OpportunityQuerySet:
        return self.filter(organization__status=OrganizationStatus.VERIFIED)


class Opportunity(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="opportunities", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    date = models.DateField(_("date"), db_index=True)
    place = models.CharField(_("place"), max_length=300)
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ngo_opportunities",
        verbose_name=_("district"),
    )
    places = models.PositiveSmallIntegerField(_("number of places"))
    status = models.CharField(
        _("status"), max_length=8, choices=OpportunityStatus.choices, default=OpportunityStatus.OPEN
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("posted"), auto_now_add=True)

    objects = OpportunityQuerySet.as_manager()

    class Meta:
        verbose_name = _("volunteer opportunity")
        verbose_name_plural = _("volunteer opportunities")
        ordering = ["date", "id"]
        constraints = [models.CheckConstraint(condition=Q(places__gte=1), name="ngo_opportunity_has_places")]

    def __str__(self) -> str:
        return self.title

    @property
    def free_places(self) -> int | None:
        taken = getattr(self, "taken_places", None)
        return None if taken is None else max(self.places - taken, 0)


class Application(models.Model):
    """One per volunteer and opportunity (enforced by the database)."""

    opportunity = models.ForeignKey(
        Opportunity, on_delete=models.CASCADE, related_name="applications", verbose_name=_("opportunity")
    )
    volunteer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="volunteer_applications",
        verbose_name=_("volunteer"),
    )
    message = models.TextField(_("message to the organisation"), blank=True)
    status = models.CharField(
        _("status"), max_length=10, choices=ApplicationStatus.choices, default=ApplicationStatus.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    created_at = models.DateTimeField(_("applied"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("volunteer application")
        verbose_name_plural = _("volunteer applications")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["opportunity", "volunteer"], name="ngo_apply_once"),
        ]

    def __str__(self) -> str:
        return f"{self.volunteer} — {self.opportunity}"
