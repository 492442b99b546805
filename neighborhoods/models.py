"""Neighbourhood houses, trustee boards with their members' decrees, and need reports.

The geography they hang off (City → District → Area → Neighborhood) lives in ``places``.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from core.jalali import jalali_date_string
from core.persian import normalize
from core.private_files import private_storage
from core.uploads import UploadPath
from places.models import District, Neighborhood


class NeighborhoodHouse(models.Model):
    """The neighbourhood house (سرای محله): the board's meeting place, open to residents."""

    neighborhood = models.OneToOneField(
        Neighborhood, on_delete=models.CASCADE, related_name="house", verbose_name=_("neighbourhood")
    )
    name = models.CharField(_("name"), max_length=120)
    address = models.CharField(_("address"), max_length=300)
    phone = models.CharField(_("public telephone"), max_length=20, blank=True)
    opening_hours = models.CharField(_("opening hours"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("neighbourhood house")
        verbose_name_plural = _("neighbourhood houses")
        ordering = ["neighborhood_id"]

    def __str__(self) -> str:
        return self.name


# --- Trustee boards ----------------------------------------------------------
class TrusteeBoard(models.Model):
    """The trustee board (هیئت امنای محله) of one neighbourhood; at most one each."""

    neighborhood = models.OneToOneField(
        Neighborhood, on_delete=models.PROTECT, related_name="board", verbose_name=_("neighbourhood")
    )
    formed_on = models.DateField(_("formed on"), null=True, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    class Meta:
        verbose_name = _("trustee board")
        verbose_name_plural = _("trustee boards")
        ordering = ["neighborhood__district_id", "neighborhood__name"]

    def __str__(self) -> str:
        return str(_("Trustee board of %(neighborhood)s") % {"neighborhood": self.neighborhood.name})


class TrusteeCategory(models.TextChoices):
    """Whom a member speaks for on the board; the order is the order on pages."""

    MOSQUE_IMAM = "mosque_imam", _("Imam of the local mosque")
    EDUCATION = "education", _("Education department")
    POLICE = "police", _("Police station")
    BASIJ = "basij", _("Basij")
    RELIGIOUS_GROUP = "religious_group", _("Religious group")
    SERVICE_AGENCY = "service_agency", _("Service agency")
    LOCAL_ELITE = "local_elite", _("Local elite")
    RESIDENT = "resident", _("Resident trustee")


class TrusteeshipQuerySet(models.QuerySet):
    def active(self, on: dt.date | None = None) -> TrusteeshipQuerySet:
        """Members whose term covers ``on`` (today by default); ended terms stay on record."""
        on = on or timezone.localdate()
        return self.filter(term_start__lte=on, term_end__gte=on)

    def overlapping(self, start: dt.date, end: dt.date) -> TrusteeshipQuerySet:
        return self.filter(term_start__lte=end, term_end__gte=start)


class Trusteeship(models.Model):
    """One person's seat on a board: the category they represent, their decree and term.

    The person is a portal user or, for members without an account, a name.
    Authority to file need reports comes from an active trusteeship linked to
    a user, not from the user's role label.
    """

    board = models.ForeignKey(
        TrusteeBoard, on_delete=models.PROTECT, related_name="trusteeships", verbose_name=_("trustee board")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="trusteeships",
        verbose_name=_("portal account"),
        help_text=_("Link the member's account so they can file need reports."),
    )
    member_name = models.CharField(
        _("member name"),
        max_length=120,
        blank=True,
        help_text=_("Required when the member has no account; otherwise the account's display name is shown."),
    )
    member_name_normalized = models.CharField(max_length=120, editable=False, db_index=True, default="")
    category = models.CharField(_("category"), max_length=20, choices=TrusteeCategory.choices)
    decree_number = models.CharField(_("decree number"), max_length=60)
    decree_date = models.DateField(_("decree date"))
    decree_issuer = models.CharField(_("issued by"), max_length=160)
    decree_file = models.FileField(
        _("scanned decree"), upload_to=UploadPath("decrees"), storage=private_storage, blank=True
    )
    term_start = models.DateField(_("term start"))
    term_end = models.DateField(_("term end"))
    created_at = models.DateTimeField(_("created"), auto_now_add=True)

    objects = TrusteeshipQuerySet.as_manager()

    class Meta:
        verbose_name = _("trusteeship")
        verbose_name_plural = _("trusteeships")
        ordering = ["board_id", "-term_start", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(term_end__gt=models.F("term_start")), name="trusteeship_term_order"),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | ~Q(member_name=""), name="trusteeship_has_a_person"
            ),
        ]
        indexes = [models.Index(fields=["board", "term_start", "term_end"])]

    def __str__(self) -> str:
        return f"{self.display_name} ({self.get_category_display()})"

    def save(self, *args, **kwargs):
        self.member_name = " ".join(self.member_name.split())
        self.member_name_normalized = normalize(self.member_name)
        if kwargs.get("update_fields") is not None and "member_name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "member_name_normalized"}
        super().save(*args, **kwargs)

    @property
    def display_name(self) -> str:
        """The name shown in public: the given member name, else the account's display name."""
        if self.member_name:
            return self.member_name
        return self.user.display_name if self.user_id else ""

    def is_active(self, on: dt.date | None = None) -> bool:
        on = on or timezone.localdate()
        return self.term_start <= on <= self.term_end

    def same_person(self) -> TrusteeshipQuerySet:
        """Other seats of this person on this board (by account, else by normalised name)."""
        others = Trusteeship.objects.filter(board_id=self.board_id).exclude(pk=self.pk)
        if self.user_id:
            return others.filter(user_id=self.user_id)
        return others.filter(user__isnull=True, member_name_normalized=normalize(self.member_name))

    def clean(self) -> None:
        super().clean()
        self.member_name = " ".join(self.member_name.split())
        errors: dict[str, list] = {}
        if not self.user_id and not self.member_name:
            errors["member_name"] = [_("Give the member's name or link their account.")]
        if self.term_start and self.term_end and self.term_end <= self.term_start:
            errors["term_end"] = [_("The term must end after it starts.")]
        if not errors and self.board_id and self.term_start and self.term_end:
            clash = self.same_person().overlapping(self.term_start, self.term_end).first()
            if clash is not None:
                errors["term_start"] = [overlap_message(clash)]
        if errors:
            raise ValidationError(errors)


def overlap_message(clash: Trusteeship) -> str:
    return _("This person already has a term on this board from %(start)s to %(end)s; terms may not overlap.") % {
        "start": jalali_date_string(clash.term_start, numeric=True),
        "end": jalali_date_string(clash.term_end, numeric=True),
    }


# --- Need reports ----------------------------------------------------------------
class NeedCategory(models.TextChoices):
    WATER = "water", _("Water")
    ELECTRICITY = "electricity", _("Electricity")
    GAS = "gas", _("Gas")
    TELECOM = "telecom", _("Telecom")
    ROADS = "roads", _("Roads and transport")
    GREEN_SPACE = "green_space", _("Green space")
    HEALTH = "health", _("Health")
    SOCIAL = "social", _("Social")
    OTHER = "other", _("Other")


class NeedStatus(models.TextChoices):
    REPORTED = "reported", _("Reported")
    REFERRED = "referred", _("Referred")
    IN_PROGRESS = "in_progress", _("In progress")
    RESOLVED = "resolved", _("Resolved")
    DECLINED = "declined", _("Declined")


OPEN_STATUSES = (NeedStatus.REPORTED, NeedStatus.REFERRED, NeedStatus.IN_PROGRESS)
# reported → referred → in progress → resolved / declined; a report may be
# declined at any open step, and nothing leaves a closed status.
NEXT_STATUSES: dict[str, tuple[str, ...]] = {
    NeedStatus.REPORTED: (NeedStatus.REFERRED, NeedStatus.DECLINED),
    NeedStatus.REFERRED: (NeedStatus.IN_PROGRESS, NeedStatus.DECLINED),
    NeedStatus.IN_PROGRESS: (NeedStatus.RESOLVED, NeedStatus.DECLINED),
    NeedStatus.RESOLVED: (),
    NeedStatus.DECLINED: (),
}


class NeedReportQuerySet(models.QuerySet):
    def open(self) -> NeedReportQuerySet:
        return self.filter(status__in=OPEN_STATUSES)

    def public(self) -> NeedReportQuerySet:
        """What lists show: the place joined in, newest first."""
        return self.select_related("neighborhood__district__city", "neighborhood__area").order_by("-created_at", "-id")


class NeedReport(models.Model):
    """A need a board member reports for their neighbourhood; public, without the reporter."""

    neighborhood = models.ForeignKey(
        Neighborhood, on_delete=models.PROTECT, related_name="need_reports", verbose_name=_("neighbourhood")
    )
    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="need_reports",
        verbose_name=_("reported by"),
    )
    category = models.CharField(_("category"), max_length=20, choices=NeedCategory.choices)
    title = models.CharField(_("title"), max_length=160)
    description = models.TextField(_("description"), max_length=4000)
    photo = models.FileField(_("photo"), upload_to=UploadPath("needs"), blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=NeedStatus.choices, default=NeedStatus.REPORTED, db_index=True
    )
    agency = models.CharField(
        _("responsible agency"),
        max_length=160,
        blank=True,
        help_text=_("The agency the report is referred to, e.g. the water and wastewater company."),
    )
    search_normalized = models.TextField(editable=False, default="")
    created_at = models.DateTimeField(_("reported at"), default=timezone.now, db_index=True)
    status_changed_at = models.DateTimeField(_("status changed at"), default=timezone.now)

    objects = NeedReportQuerySet.as_manager()

    class Meta:
        verbose_name = _("need report")
        verbose_name_plural = _("need reports")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["neighborhood", "status"])]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.title = " ".join(self.title.split())
        self.search_normalized = normalize(f"{self.title} {self.description}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_normalized"}
        super().save(*args, **kwargs)

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def next_statuses(self) -> tuple[str, ...]:
        return NEXT_STATUSES[self.status]


class NeedReportStatusChange(models.Model):
    """One step of a report's history: who moved it, when, from what to what, and why."""

    report = models.ForeignKey(
        NeedReport, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("need report")
    )
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("changed by"),
    )
    from_status = models.CharField(_("from"), max_length=20, choices=NeedStatus.choices, blank=True)
    to_status = models.CharField(_("to"), max_length=20, choices=NeedStatus.choices)
    agency = models.CharField(_("responsible agency"), max_length=160, blank=True)
    note = models.TextField(_("note"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        verbose_name = _("status change")
        verbose_name_plural = _("status changes")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return _("%(old)s → %(new)s") % {
            "old": self.get_from_status_display() or "—",
            "new": self.get_to_status_display(),
        }


# --- staff announcements ---------------------------------------------------------------
class AnnouncementAudience(models.TextChoices):
    FOLLOWERS = "followers", _("Followers")
    RESIDENTS = "residents", _("Residents")
    BOTH = "both", _("Followers and residents")


class AnnouncementStatus(models.TextChoices):
    AWAITING_APPROVAL = "awaiting", _("Awaiting the system administrator's approval")
    SENT = "sent", _("Sent")
    REJECTED = "rejected", _("Rejected")


class Announcement(models.Model):
    """Staff's announcement to the followers and/or residents of a district or one of its neighbourhoods.

    ``district`` is always set (also for a neighbourhood's), so the staff scope reads one column;
    ``delivered_at`` marks the outbox rows as written: the fan-out writes them once.
    """

    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="announcements", verbose_name=_("district")
    )
    neighborhood = models.ForeignKey(
        Neighborhood,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="announcements",
        verbose_name=_("neighbourhood"),
        help_text=_("Leave empty to announce to the whole district."),
    )
    audience = models.CharField(_("audience"), max_length=10, choices=AnnouncementAudience.choices)
    title = models.CharField(_("title"), max_length=120)
    body = models.TextField(_("text"), max_length=2000)
    status = models.CharField(_("status"), max_length=10, choices=AnnouncementStatus.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("written by"),
    )
    recipient_count = models.PositiveIntegerField(_("recipients"), default=0)
    sms_count = models.PositiveIntegerField(_("SMS recipients"), default=0)
    created_at = models.DateTimeField(_("date written"), default=timezone.now)
    published_at = models.DateTimeField(_("publication date"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("decided by"),
    )
    decision_note = models.TextField(_("reason"), blank=True, max_length=2000)
    delivered_at = models.DateTimeField(_("notifications written"), null=True, blank=True)

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["district", "status", "-published_at"], name="announcement_place")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        name, pk = ("neighborhood", self.neighborhood_id) if self.neighborhood_id else ("district", self.district_id)
        return reverse(f"neighborhoods:{name}_detail", args=[pk]) + f"#announcement-{self.pk}"

    @property
    def place(self) -> Neighborhood | District:
        return self.neighborhood or self.district

    def clean(self) -> None:
        if self.neighborhood_id and self.district_id and self.neighborhood.district_id != self.district_id:
            raise ValidationError({"neighborhood": _("The neighbourhood is not in the chosen district.")})
