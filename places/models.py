"""Geography (City → District → Area → Neighborhood) and each city's participation settings.

Every project, need report, board, organisation service area and staff scope
hangs off the geography tree. Names keep a normalised twin for search and
uniqueness. The tables kept the names they had when these models lived in
``neighborhoods`` and ``projects``, so moving them here moved no data.
"""

from __future__ import annotations

from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from core.persian import normalize
from core.uploads import UploadPath

# A colour as the browser reads it in CSS, and nothing else: the value goes into a stylesheet.
hex_color = RegexValidator(
    r"^#[0-9a-fA-F]{6}$", _("Enter a colour as # followed by six hexadecimal digits."), "hex_color"
)


class NormalizedNameModel(models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_normalized = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.refresh_normalized()
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_normalized"}
        super().save(*args, **kwargs)

    def refresh_normalized(self) -> None:
        """Fold the name's whitespace and compute its normalised twin; bulk writes call it as ``save`` does."""
        self.name = " ".join(self.name.split())
        self.name_normalized = normalize(self.name)


class City(NormalizedNameModel):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)
    # The city's public look; the portal's own name, logo and colours stand in for what is empty.
    # Database defaults let code from before these columns (a rolling deploy) still add cities.
    display_name = models.CharField(
        _("public name"),
        max_length=120,
        blank=True,
        default="",
        db_default="",
        help_text=_("Shown to citizens when it differs from the name, e.g. «شهرداری کاشان»."),
    )
    logo = models.ImageField(
        _("logo"), upload_to=UploadPath("cities"), blank=True, default="", db_default="", help_text=_("JPEG or PNG.")
    )
    primary_color = models.CharField(
        _("primary colour"),
        max_length=7,
        blank=True,
        default="",
        db_default="",
        validators=[hex_color],
        help_text=_("A colour code: # and six hexadecimal digits."),
    )
    accent_color = models.CharField(
        _("accent colour"),
        max_length=7,
        blank=True,
        default="",
        db_default="",
        validators=[hex_color],
        help_text=_("A colour code: # and six hexadecimal digits."),
    )

    class Meta:
        db_table = "neighborhoods_city"
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name_normalized"], name="city_unique_name"),
        ]

    @property
    def public_name(self) -> str:
        return self.display_name or self.name

    def refresh_normalized(self) -> None:
        super().refresh_normalized()
        self.display_name = " ".join(self.display_name.split())
        self.primary_color = self.primary_color.strip().lower()
        self.accent_color = self.accent_color.strip().lower()


class District(NormalizedNameModel):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts", verbose_name=_("city"))
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
        db_table = "neighborhoods_district"
        verbose_name = _("district")
        verbose_name_plural = _("districts")
        ordering = ["city_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["city", "number"], name="district_unique_number"),
            models.UniqueConstraint(fields=["city", "name_normalized"], name="district_unique_name"),
        ]


class Area(NormalizedNameModel):
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="areas", verbose_name=_("district"))

    class Meta:
        db_table = "neighborhoods_area"
        verbose_name = _("area")
        verbose_name_plural = _("areas")
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name_normalized"], name="area_unique_name"),
        ]


class Neighborhood(NormalizedNameModel):
    area = models.ForeignKey(Area, on_delete=models.PROTECT, related_name="neighborhoods", verbose_name=_("area"))
    # Denormalised from the area so district filters need no join.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="neighborhoods", editable=False, verbose_name=_("district")
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)

    class Meta:
        db_table = "neighborhoods_neighborhood"
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name_normalized"], name="neighborhood_unique_name"),
        ]

    def save(self, *args, **kwargs):
        self.district_id = self.area.district_id
        super().save(*args, **kwargs)


# --- per-city settings -------------------------------------------------------------
class ModerationPolicy(models.TextChoices):
    PRE = "pre", _("Pre-moderation: comments appear once approved")
    POST = "post", _("Post-moderation: comments appear at once and may be removed")


class CityParticipationSettings(models.Model):
    """A municipality's participation rules; a city without a row gets the defaults."""

    city = models.OneToOneField(
        City, on_delete=models.CASCADE, related_name="participation_settings", verbose_name=_("city")
    )
    moderation_policy = models.CharField(
        _("moderation policy"), max_length=4, choices=ModerationPolicy.choices, default=ModerationPolicy.PRE
    )
    flags_to_hide = models.PositiveSmallIntegerField(
        _("flags to hide a comment"),
        default=3,
        validators=[MinValueValidator(1)],
        help_text=_("A published comment with this many open flags is hidden until staff decide."),
    )
    support_residents_only = models.BooleanField(
        _("only district residents may support"),
        default=False,
        help_text=_("Citizens whose home neighbourhood is outside a project's district cannot support it."),
    )
    comment_requires_verified_mobile = models.BooleanField(
        _("commenting needs a verified mobile number"),
        default=True,
        help_text=_("Supports, ballots and poll answers always need one; comments only when this is on."),
    )
    use_default_flagged_words = models.BooleanField(
        _("also hold comments with the built-in insult list"),
        default=True,
        help_text=_("Off: only this city's own flagged words hold a comment for review."),
    )
    residency_cooldown_days = models.PositiveSmallIntegerField(
        _("days before a citizen may move home again"),
        default=90,
        help_text=_("A change of home neighbourhood within this many days of the last one is refused."),
    )
    announcement_sms_approval_threshold = models.PositiveIntegerField(
        _("SMS recipients of an announcement before a system administrator must approve it"),
        default=200,
        help_text=_(
            "An announcement that would send an SMS to more people than this waits for a system administrator's "
            "approval before anything is sent: SMS costs the city money."
        ),
    )

    class Meta:
        db_table = "projects_cityparticipationsettings"
        verbose_name = _("city participation settings")
        verbose_name_plural = _("city participation settings")
        constraints = [models.CheckConstraint(condition=Q(flags_to_hide__gte=1), name="city_settings_flags_min_1")]

    def __str__(self) -> str:
        return str(self.city)

    @classmethod
    def for_city(cls, city_id: int | None) -> CityParticipationSettings:
        """The city's settings, or unsaved defaults when it has none."""
        found = cls.objects.filter(city_id=city_id).first() if city_id else None
        return found or cls(city_id=city_id)

    @classmethod
    def for_project(cls, project) -> CityParticipationSettings:
        """Like ``for_city``, without a query when the project was loaded with its district and city."""
        city = project.district.city
        try:
            return city.participation_settings
        except cls.DoesNotExist:
            return cls(city_id=city.pk)
