"""Plans (طرح) organisations submit to the municipality, and meetings held for them."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.private_files import private_storage
from core.uploads import UploadPath
from ngos.models.choices import PlanStatus, RsvpResponse
from ngos.models.organizations import Organization


class Plan(models.Model):
    """A proposal from an organisation; an accepted one may become a project.

    The projects app keeps the link (its ``Project.source_plan``), so this app
    never imports projects.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.PROTECT, related_name="plans", verbose_name=_("organisation")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    target_neighborhoods = models.ManyToManyField(
        "places.Neighborhood", related_name="ngo_plans", verbose_name=_("target neighbourhoods")
    )
    estimated_budget = models.PositiveBigIntegerField(_("estimated budget (rials)"))
    attachment = models.FileField(
        _("attachment"),
        upload_to=UploadPath("ngos/plans"),
        storage=private_storage,  # a proposal is not public: read through ngos:plan_attachment
        blank=True,
        help_text=_("PDF, JPEG or PNG."),
    )
    status = models.CharField(
        _("status"), max_length=14, choices=PlanStatus.choices, default=PlanStatus.SUBMITTED, db_index=True
    )
    review_comment = models.TextField(_("reviewer's comment"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("submitted by")
    )
    submitted_at = models.DateTimeField(_("submitted"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-submitted_at", "-id"]

    def __str__(self) -> str:
        return self.title


class Meeting(models.Model):
    """An experience-sharing meeting the municipality holds for organisations.

    With no district it is open to every organisation of the city.
    """

    city = models.ForeignKey("places.City", on_delete=models.PROTECT, related_name="+", verbose_name=_("city"))
    district = models.ForeignKey(
        "places.District",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="ngo_meetings",
        verbose_name=_("district"),
        help_text=_("Leave empty for a city-wide meeting."),
    )
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    place = models.CharField(_("place"), max_length=300)
    agenda = models.TextField(_("agenda"))
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_at = models.DateTimeField(_("minutes published"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_published_at__isnull=True) | ~Q(minutes=""), name="ngo_meeting_minutes_not_empty"
            )
        ]

    def __str__(self) -> str:
        return self.title


class MeetingRsvp(models.Model):
    """An organisation's answer to a meeting invitation (one per organisation)."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("meeting"))
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="rsvps", verbose_name=_("organisation")
    )
    response = models.CharField(_("answer"), max_length=14, choices=RsvpResponse.choices)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("answered by")
    )
    updated_at = models.DateTimeField(_("answered"), auto_now=True)

    class Meta:
        verbose_name = _("meeting answer")
        verbose_name_plural = _("meeting answers")
        ordering = ["organization__name_normalized"]
        constraints = [models.UniqueConstraint(fields=["meeting", "organization"], name="ngo_rsvp_once")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_response_display()}"
