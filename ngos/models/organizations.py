"""Organisations on record: identity, licence, service area, managers and history."""

from __future__ import annotations

import datetime as dt
import re

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.persian import normalize
from core.private_files import private_storage
from core.uploads import UploadPath
from ngos.models.choices import (
    FieldOfActivity,
    InvitationStatus,
    LicenceIssuer,
    LicenceStatus,
    OrganizationKind,
    OrganizationStatus,
    ReminderKind,
)

EXPIRING_WITHIN_DAYS = 30
_NOT_ALPHANUMERIC = re.compile(r"[^0-9a-z\u0600-\u06ff]")


def normalize_identifier(value: str | None) -> str:
    """Registration and licence numbers compared as people mean them.

    Persian or Arabic digits become ASCII and separators (spaces, dashes,
    slashes) are dropped, so ``۱۲۳/۴۵`` and ``123-45`` are the same number.
    """
    return _NOT_ALPHANUMERIC.sub("", normalize(value))


def licence_status_for(expires_on: dt.date | None, today: dt.date | None = None) -> str:
    """Valid, expiring (expiry within 30 days, today included) or expired (before today)."""
    if expires_on is None:
        return LicenceStatus.MISSING
    today = today or timezone.localdate()
    if expires_on < today:
        return LicenceStatus.EXPIRED
    if expires_on <= today + dt.timedelta(days=EXPIRING_WITHIN_DAYS):
        return LicenceStatus.EXPIRING
    return LicenceStatus.VALID


def licence_status_q(status: str, today: dt.date | None = None) -> Q:
    """The same rule as ``licence_status_for`` as a filter on the expiry date."""
    today = today or timezone.localdate()
    horizon = today + dt.timedelta(days=EXPIRING_WITHIN_DAYS)
    return {
        LicenceStatus.EXPIRED: Q(licence_expires_on__lt=today),
        LicenceStatus.EXPIRING: Q(licence_expires_on__gte=today, licence_expires_on__lte=horizon),
        LicenceStatus.VALID: Q(licence_expires_on__gt=horizon),
        LicenceStatus.MISSING: Q(licence_expires_on__isnull=True),
    }[status]


class OrganizationQuerySet(models.QuerySet):
    def public(self) -> OrganizationQuerySet:
        """What anyone may see: verified organisations."""
        return self.filter(status=OrganizationStatus.VERIFIED)

    def with_licence_status(self, status: str) -> OrganizationQuerySet:
        return self.filter(licence_status_q(status))

    def for_listing(self) -> OrganizationQuerySet:
        """Everything a list row shows, in a fixed number of queries."""
        return self.select_related("city").prefetch_related("activities", "districts")


class Organization(models.Model):
    city = models.ForeignKey(
        "places.City", on_delete=models.PROTECT, related_name="organizations", verbose_name=_("city")
    )
    kind = models.CharField(_("kind"), max_length=24, choices=OrganizationKind.choices)
    name = models.CharField(_("name"), max_length=200)
    name_normalized = models.CharField(max_length=200, editable=False, db_index=True)
    registration_number = models.CharField(
        _("registration number"), max_length=40, help_text=_("The national registration number (شماره ثبت).")
    )
    registration_number_normalized = models.CharField(max_length=40, editable=False)

    licence_number = models.CharField(_("licence number"), max_length=60, blank=True)
    licence_number_normalized = models.CharField(max_length=60, editable=False, blank=True)
    licence_issuer = models.CharField(_("licence issuer"), max_length=24, choices=LicenceIssuer.choices, blank=True)
    licence_issued_on = models.DateField(_("licence issue date"), null=True, blank=True)
    licence_expires_on = models.DateField(_("licence expiry date"), null=True, blank=True, db_index=True)
    licence_document = models.FileField(
        _("licence scan"),
        upload_to=UploadPath("ngos/licences"),
        storage=private_storage,  # personal details: no public URL, read through ngos:licence_document
        blank=True,
        help_text=_("PDF, JPEG or PNG."),
    )

    managing_director = models.CharField(_("managing director"), max_length=120)
    board_members = models.TextField(_("board members"), blank=True, help_text=_("One name per line."))
    districts = models.ManyToManyField(
        "places.District", related_name="organizations", blank=True, verbose_name=_("districts served")
    )
    neighborhoods = models.ManyToManyField(
        "places.Neighborhood",
        related_name="organizations",
        blank=True,
        verbose_name=_("neighbourhoods served"),
    )
    address = models.TextField(_("address"), blank=True)
    phone = models.CharField(_("phone"), max_length=20, blank=True)
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.FileField(_("logo"), upload_to=UploadPath("ngos/logos"), blank=True, help_text=_("JPEG or PNG."))
    summary = models.CharField(_("short description"), max_length=300)
    description = models.TextField(_("full description"), blank=True)
    search_normalized = models.TextField(editable=False, blank=True)

    status = models.CharField(
        _("status"), max_length=12, choices=OrganizationStatus.choices, default=OrganizationStatus.DRAFT, db_index=True
    )
    review_note = models.TextField(
        _("note from staff"), blank=True, help_text=_("What to fix, or why it was rejected or suspended.")
    )
    status_changed_at = models.DateTimeField(_("status changed"), default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    objects = OrganizationQuerySet.as_manager()

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name_normalized", "id"]
        constraints = [
            models.UniqueConstraint(fields=["registration_number_normalized"], name="ngo_unique_registration_number"),
            models.UniqueConstraint(
                fields=["licence_issuer", "licence_number_normalized"],
                condition=~Q(licence_number_normalized=""),
                name="ngo_unique_licence",
            ),
            models.UniqueConstraint(fields=["city", "name_normalized"], name="ngo_unique_name_in_city"),
            models.CheckConstraint(
                condition=Q(licence_expires_on__isnull=True)
                | Q(licence_issued_on__isnull=True)
                | Q(licence_expires_on__gte=models.F("licence_issued_on")),
                name="ngo_licence_dates_in_order",
            ),
        ]
        # The directory lists verified organisations by name, by kind, or by date verified.
        indexes = [
            models.Index(fields=["status", "name_normalized", "id"], name="ngo_status_name"),
            models.Index(fields=["status", "kind", "name_normalized", "id"], name="ngo_status_kind_name"),
            models.Index(fields=["status", "-verified_at", "-id"], name="ngo_status_verified"),
        ]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.name_normalized = normalize(self.name)
        self.registration_number_normalized = normalize_identifier(self.registration_number)
        self.licence_number_normalized = normalize_identifier(self.licence_number)
        self.search_normalized = normalize(f"{self.name} {self.summary} {self.description}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {
                *kwargs["update_fields"],
                "name_normalized",
                "registration_number_normalized",
                "licence_number_normalized",
                "search_normalized",
                "updated_at",
            }
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("ngos:detail", args=[self.pk])

    @property
    def licence_status(self) -> str:
        return licence_status_for(self.licence_expires_on)

    def get_licence_status_display(self) -> str:
        return LicenceStatus(self.licence_status).label

    @property
    def board_member_list(self) -> list[str]:
        return [line.strip() for line in self.board_members.splitlines() if line.strip()]

    @property
    def is_public(self) -> bool:
        return self.status == OrganizationStatus.VERIFIED


class OrganizationActivity(models.Model):
    """One field of activity of an organisation (a fixed vocabulary, so no lookup table)."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="activities", verbose_name=_("organisation")
    )
    code = models.CharField(_("field of activity"), max_length=24, choices=FieldOfActivity.choices)

    class Meta:
        verbose_name = _("field of activity")
        verbose_name_plural = _("fields of activity")
        ordering = ["code"]
        constraints = [models.UniqueConstraint(fields=["organization", "code"], name="ngo_activity_once")]
        # The directory's "field of activity" filter starts from the code.
        indexes = [models.Index(fields=["code", "organization"], name="ngo_activity_code")]

    def __str__(self) -> str:
        return str(self.get_code_display())


class Membership(models.Model):
    """A manager of an organisation: they may edit it and act for it."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organisation")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ngo_memberships", verbose_name=_("user")
    )
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("added by")
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        verbose_name = _("manager")
        verbose_name_plural = _("managers")
        ordering = ["created_at", "id"]
        constraints = [models.UniqueConstraint(fields=["organization", "user"], name="ngo_manager_once")]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization}"


class ManagerInvitation(models.Model):
    """An invitation for the holder of a mobile number to become a manager.

    The invitee sees it after signing in with that number, so the inviter
    never learns whether the number has an account.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organisation")
    )
    phone = models.CharField(_("mobile number"), max_length=13)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    status = models.CharField(
        _("status"), max_length=10, choices=InvitationStatus.choices, default=InvitationStatus.PENDING
    )
    created_at = models.DateTimeField(_("sent"), auto_now_add=True)
    responded_at = models.DateTimeField(_("answered"), null=True, blank=True)

    class Meta:
        verbose_name = _("manager invitation")
        verbose_name_plural = _("manager invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "phone"],
                condition=Q(status=InvitationStatus.PENDING),
                name="ngo_one_pending_invitation",
            )
        ]

    def __str__(self) -> str:
        return f"{self.organization} ← {self.phone}"


class StatusChange(models.Model):
    """The lifecycle history shown to managers: who moved it, when and why."""

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("organisation")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=OrganizationStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=12, choices=OrganizationStatus.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("by")
    )
    note = models.TextField(_("note"), blank=True)
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status history")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        change = _("%(old)s → %(new)s") % {
            "old": self.get_from_status_display() or "—",
            "new": self.get_to_status_display(),
        }
        return f"{self.organization}: {change}"


class LicenceReminder(models.Model):
    """One row per organisation, threshold and expiry date: the sweep's memory.

    A renewed licence has a new expiry date, so its reminders start afresh.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="licence_reminders", verbose_name=_("organisation")
    )
    kind = models.CharField(_("kind"), max_length=12, choices=ReminderKind.choices)
    expiry_date = models.DateField(_("licence expiry date"))
    created_at = models.DateTimeField(_("recorded"), auto_now_add=True)

    class Meta:
        verbose_name = _("licence reminder")
        verbose_name_plural = _("licence reminders")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "kind", "expiry_date"], name="ngo_reminder_once"),
        ]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_kind_display()}"


class VerificationQueue(Organization):
    """Submitted profiles waiting for staff: a separate admin list, same rows."""

    class Meta:
        proxy = True
        verbose_name = _("submitted organisation")
        verbose_name_plural = _("verification queue")
