"""Participatory budgeting: a district's round, its residents' ballots and the published results."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.persian import localize_digits


class RoundStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open")
    PUBLISHED = "published", _("Results published")


class BudgetingCycle(models.Model):
    """The rounds a city opens together: a citizen casts one ballot per cycle, whichever district they live in."""

    city = models.ForeignKey(
        "places.City", on_delete=models.PROTECT, related_name="budgeting_cycles", verbose_name=_("city")
    )
    title = models.CharField(_("title"), max_length=200)
    created_at = models.DateTimeField(_("created"), default=timezone.now)

    class Meta:
        verbose_name = _("budgeting cycle")
        verbose_name_plural = _("budgeting cycles")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.title


class BudgetingRound(models.Model):
    cycle = models.ForeignKey(
        BudgetingCycle, on_delete=models.PROTECT, related_name="rounds", verbose_name=_("budgeting cycle")
    )
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="budgeting_rounds", verbose_name=_("district")
    )
    title = models.CharField(_("title"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    total_budget = models.PositiveBigIntegerField(_("total budget (rial)"))
    opens_on = models.DateField(_("voting opens"))
    closes_on = models.DateField(_("voting closes"), help_text=_("The last day on which ballots are accepted."))
    status = models.CharField(_("status"), max_length=12, choices=RoundStatus.choices, default=RoundStatus.DRAFT)
    eligible_projects = models.ManyToManyField(
        "projects.Project", blank=True, related_name="budgeting_rounds", verbose_name=_("eligible projects")
    )
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
    opened_at = models.DateTimeField(_("opened"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("results published"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("budgeting round")
        verbose_name_plural = _("budgeting rounds")
        ordering = ["-opens_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(closes_on__gte=F("opens_on")), name="round_closes_after_opens"),
            models.CheckConstraint(condition=Q(total_budget__gt=0), name="round_budget_positive"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return f"/budgeting/{self.pk}/"

    def is_voting_open(self, on: dt.date | None = None) -> bool:
        day = on or timezone.localdate()
        return self.status == RoundStatus.OPEN and self.opens_on <= day <= self.closes_on

    def has_closed(self, on: dt.date | None = None) -> bool:
        return (on or timezone.localdate()) > self.closes_on


class Ballot(models.Model):
    """One resident's choice of projects in a round; changeable until the round closes.

    One per person per cycle, by account and by ``voter_key`` (a keyed hash of the
    mobile number that outlives the account), so neither moving district nor a new
    account buys a second ballot.
    """

    round = models.ForeignKey(BudgetingRound, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("round"))
    # Copied from the round so the database can hold one ballot per cycle.
    cycle = models.ForeignKey(
        BudgetingCycle, on_delete=models.CASCADE, related_name="ballots", verbose_name=_("budgeting cycle")
    )
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="ballots",
        verbose_name=_("voter"),
    )
    voter_key = models.CharField(_("voter key"), max_length=64, editable=False)
    district = models.ForeignKey(
        "places.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("cast as resident of")
    )
    projects = models.ManyToManyField("projects.Project", related_name="ballots", verbose_name=_("projects"))
    created_at = models.DateTimeField(_("cast"), default=timezone.now)
    updated_at = models.DateTimeField(_("last changed"), default=timezone.now)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        constraints = [
            models.UniqueConstraint(fields=["cycle", "voter"], name="ballot_one_per_voter_per_cycle"),
            models.UniqueConstraint(fields=["cycle", "voter_key"], name="ballot_one_per_person_per_cycle"),
        ]

    def __str__(self) -> str:
        return f"{self.round_id}/{self.voter_id}"


class BudgetingResult(models.Model):
    """A project's place in a closed round: ballots, rank and whether it is funded."""

    round = models.ForeignKey(BudgetingRound, on_delete=models.CASCADE, related_name="results", verbose_name=_("round"))
    project = models.ForeignKey(
        "projects.Project", on_delete=models.CASCADE, related_name="budgeting_results", verbose_name=_("project")
    )
    ballots = models.PositiveIntegerField(_("ballots"))
    rank = models.PositiveIntegerField(_("rank"))
    budget = models.PositiveBigIntegerField(_("budget (rial)"))
    funded = models.BooleanField(_("funded"))

    class Meta:
        verbose_name = _("budgeting result")
        verbose_name_plural = _("budgeting results")
        ordering = ["rank"]
        constraints = [
            models.UniqueConstraint(fields=["round", "project"], name="result_once_per_project"),
            models.UniqueConstraint(fields=["round", "rank"], name="result_unique_rank"),
        ]

    def __str__(self) -> str:
        return f"{localize_digits(self.rank)}. {self.project}"
