"""Geography: City → District → Area → Neighborhood.

Every project, need report, board, organisation service area and staff scope
hangs off this tree. Names keep a normalised twin for search and uniqueness.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from civic_portal.persian import normalize


class NormalizedNameModel(models.Model):
    name = models.CharField(_("name"), max_length=120)
    name_normalized = models.CharField(max_length=120, editable=False, db_index=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        self.name = " ".join(self.name.split())
        self.name_normalized = normalize(self.name)
        if kwargs.get("update_fields") is not None and "name" in kwargs["update_fields"]:
            kwargs["update_fields"] = {*kwargs["update_fields"], "name_normalized"}
        super().save(*args, **kwargs)


class City(NormalizedNameModel):
    slug = models.SlugField(_("slug"), max_length=60, unique=True)

    class Meta:
        verbose_name = _("city")
        verbose_name_plural = _("cities")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["name_normalized"], name="city_unique_name"),
        ]


class District(NormalizedNameModel):
    city = models.ForeignKey(City, on_delete=models.PROTECT, related_name="districts", verbose_name=_("city"))
    number = models.PositiveSmallIntegerField(_("number"))

    class Meta:
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
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["district_id", "name"]
        constraints = [
            models.UniqueConstraint(fields=["district", "name_normalized"], name="neighborhood_unique_name"),
        ]

    def save(self, *args, **kwargs):
        self.district_id = self.area.district_id
        super().save(*args, **kwargs)
