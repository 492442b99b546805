"""Citizen ideas: a city opens an idea round, citizens submit, staff accept them as projects or return them."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.uploads import UploadPath


class IdeaRound(models.Model):
    city = models.ForeignKey(
        "places.City", on_delete=models.PROTECT, related_name="idea_rounds", verbose_name=_("city")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    opens_on = models.DateField(_("opens"))
    closes_on = models.DateField(_("closes"), help_text=_("The last day on which ideas are accepted."))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        editable=False,
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("idea round")
        verbose_name_plural = _("idea rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="idea_round_closes_after_opens")
        ]

    def __str__(self) -> str:
        return self.title

    def is_open(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.opens_on <= day <= self.closes_on


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted, awaiting review")
    ACCEPTED = "accepted", _("Accepted as a project")
    RETURNED = "returned", _("Returned")


class Idea(models.Model):
    round = models.ForeignKey(IdeaRound, on_delete=models.PROTECT, related_name="ideas", verbose_name=_("idea round"))
    # Empty once the author deleted their account; the idea stays on record.
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="project_ideas",
        verbose_name=_("citizen"),
    )
    neighborhood = models.ForeignKey(
        "places.Neighborhood", on_delete=models.PROTECT, related_name="ideas", verbose_name=_("neighbourhood")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"))
    photo = models.ImageField(_("photo"), upload_to=UploadPath("ideas"), blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED, db_index=True
    )
    review_reason = models.TextField(_("reviewer's reason"), blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed"), null=True, blank=True)
    project = models.OneToOneField(
        "projects.Project",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="source_idea",
        verbose_name=_("resulting project"),
    )
    created_at = models.DateTimeField(_("submitted"), default=timezone.now)

    class Meta:
        verbose_name = _("citizen idea")
        verbose_name_plural = _("citizen ideas")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title
