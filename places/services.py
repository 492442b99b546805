"""Writes on geography: places and city settings (the admin) and loading a city's official list.

Every write is cleaned and audited the same way whichever door it comes by:
a save in the admin goes through ``place_save``, and the import leaves one
entry per place it creates under the same name (``district.created``…).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from core.audit import log_action, log_actions
from core.pagecache import bump_rows
from core.persian import normalize
from core.records import created_changes, record_delete, record_save
from core.text import clean_instance
from places.importing import GeographyRow
from places.models import Area, City, CityParticipationSettings, District, Neighborhood
from places.permissions import can_manage_place

# --- geography --------------------------------------------------------------------------
Place = City | District | Area | Neighborhood | CityParticipationSettings


def _require_place(actor: Any, place: Place) -> None:
    if not can_manage_place(actor, place):
        raise PermissionDenied(_("You may change places only in the districts you serve."))


@transaction.atomic
def place_save(*, actor: Any, place: Place) -> Place:
    """Create or change a city, district, area, neighbourhood or city settings, in the actor's scope, audited.

    A change must be allowed both for the row as stored and as it will be
    (moving an area to another district needs both districts).
    """
    if place.pk is not None:
        _require_place(actor, type(place).objects.get(pk=place.pk))
    _require_place(actor, place)
    return record_save(actor=actor, record=place)


@transaction.atomic
def place_delete(*, actor: Any, place: Place) -> None:
    """Delete a place nothing depends on any more (the database refuses otherwise)."""
    _require_place(actor, place)
    record_delete(actor=actor, record=place)


@transaction.atomic
def city_save(*, actor: Any, city: City) -> City:
    """Create or change a city: its names and its public look (logo, colours), checked as any place is.

    The logo arrives checked and re-encoded (``core.uploads.validate_upload``); the
    colours are checked by the model, so a bad one is a form error, never a broken stylesheet.
    """
    return place_save(actor=actor, place=city)


@transaction.atomic
def city_settings_save(*, actor: Any, settings: CityParticipationSettings) -> CityParticipationSettings:
    """Create or change a city's moderation and support rules (its city admins only)."""
    return place_save(actor=actor, place=settings)


@transaction.atomic
def city_settings_delete(*, actor: Any, settings: CityParticipationSettings) -> None:
    """Back to the defaults for the city."""
    place_delete(actor=actor, place=settings)


# --- geography import ------------------------------------------------------------------
@dataclass
class ImportSummary:
    districts_created: int = 0
    districts_renamed: int = 0
    areas_created: int = 0
    neighborhoods_created: int = 0
    neighborhoods_updated: int = 0
    neighborhoods_unchanged: int = 0


def _bulk_new(model, rows: list) -> list:
    """Insert new places as ``save`` would have written them: cleaned text, normalised names."""
    for row in rows:
        row.refresh_normalized()
        clean_instance(row)
    return model.objects.bulk_create(rows, batch_size=1000)


@transaction.atomic
def geography_import(*, rows: list[GeographyRow], source: str = "", actor: Any | None = None) -> ImportSummary:
    """Create or update the rows of an official list at once; running it again changes nothing.

    Rows come checked from ``importing.read_geography_csv``; districts match
    by city and number, areas and neighbourhoods by normalised name within
    their district. New places go in with one insert per kind and leave the
    audit entries a single save in the admin leaves (``district.created``…),
    plus one summary entry per city.
    """
    summary = ImportSummary()
    districts = {(d.city_id, d.number): d for d in District.objects.select_for_update()}
    areas = {(a.district_id, a.name_normalized): a for a in Area.objects.all()}
    places = {(n.district_id, n.name_normalized): n for n in Neighborhood.objects.all()}

    new_districts: list[District] = []
    for row in rows:
        district = districts.get((row.city.pk, row.district_number))
        if district is None:
            district = District(city=row.city, number=row.district_number, name=row.district_name)
            district.refresh_normalized()
            districts[(row.city.pk, row.district_number)] = district
            new_districts.append(district)
        elif row.district_name and normalize(row.district_name) != district.name_normalized:
            before = district.name
            district.name = row.district_name
            district.save(update_fields=["name"])
            log_action(
                actor=actor, action="district.changed", target=district, changes={"name": [before, district.name]}
            )
            summary.districts_renamed += 1
    _bulk_new(District, new_districts)
    summary.districts_created = len(new_districts)

    new_areas: list[Area] = []
    for row in rows:
        district = districts[(row.city.pk, row.district_number)]
        if (district.pk, normalize(row.area)) not in areas:
            area = Area(district=district, name=row.area)
            area.refresh_normalized()
            areas[(district.pk, area.name_normalized)] = area
            new_areas.append(area)
    _bulk_new(Area, new_areas)
    summary.areas_created = len(new_areas)

    new_places: list[Neighborhood] = []
    for row in rows:
        district = districts[(row.city.pk, row.district_number)]
        area = areas[(district.pk, normalize(row.area))]
        place = places.get((district.pk, normalize(row.neighborhood)))
        if place is None:
            place = Neighborhood(
                area=area, district=district, name=row.neighborhood, latitude=row.latitude, longitude=row.longitude
            )
            place.refresh_normalized()
            places[(district.pk, place.name_normalized)] = place
            new_places.append(place)
            continue
        wanted = {"area_id": area.pk, "name": row.neighborhood, "latitude": row.latitude, "longitude": row.longitude}
        if row.latitude is None and row.longitude is None:
            del wanted["latitude"], wanted["longitude"]  # an empty cell keeps what is on record
        changes = {
            key: [str(getattr(place, key)), str(value)] for key, value in wanted.items() if getattr(place, key) != value
        }
        if changes:
            for key in changes:
                setattr(place, key, wanted[key])
            place.area = area
            place.save()
            log_action(actor=actor, action="neighborhood.changed", target=place, changes=changes)
            summary.neighborhoods_updated += 1
        else:
            summary.neighborhoods_unchanged += 1
    _bulk_new(Neighborhood, new_places)
    summary.neighborhoods_created = len(new_places)

    for action, created in (
        ("district.created", new_districts),
        ("area.created", new_areas),
        ("neighborhood.created", new_places),
    ):
        log_actions(actor=actor, action=action, targets=created, changes_of=created_changes)
    for city in {row.city for row in rows}:
        log_action(actor=actor, action="geography.imported", target=city, note=source, changes=asdict(summary))
    for model, created in ((District, new_districts), (Area, new_areas), (Neighborhood, new_places)):
        bump_rows(model, created)  # bulk inserts send no signals
    return summary
