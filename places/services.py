"""Writes on geography that follow rules: loading a city's official list (``import_geography``)."""

from __future__ import annotations

from dataclasses import asdict, dataclass

from django.db import transaction

from core.audit import log_action
from core.persian import normalize
from places.importing import GeographyRow
from places.models import Area, District, Neighborhood


@dataclass
class ImportSummary:
    districts_created: int = 0
    districts_renamed: int = 0
    areas_created: int = 0
    neighborhoods_created: int = 0
    neighborhoods_updated: int = 0
    neighborhoods_unchanged: int = 0


@transaction.atomic
def geography_import(*, rows: list[GeographyRow], source: str = "") -> ImportSummary:
    """Create or update the rows of an official list at once; running it again changes nothing.

    Rows come checked from ``importing.read_geography_csv``; districts match
    by city and number, areas and neighbourhoods by normalised name within
    their district.
    """
    summary = ImportSummary()
    districts = {(d.city_id, d.number): d for d in District.objects.select_for_update()}
    areas = {(a.district_id, a.name_normalized): a for a in Area.objects.all()}
    places = {(n.district_id, n.name_normalized): n for n in Neighborhood.objects.all()}
    for row in rows:
        district = districts.get((row.city.pk, row.district_number))
        if district is None:
            district = District.objects.create(city=row.city, number=row.district_number, name=row.district_name)
            districts[(row.city.pk, row.district_number)] = district
            summary.districts_created += 1
        elif row.district_name and normalize(row.district_name) != district.name_normalized:
            district.name = row.district_name
            district.save(update_fields=["name"])
            summary.districts_renamed += 1
        area = areas.get((district.pk, normalize(row.area)))
        if area is None:
            area = Area.objects.create(district=district, name=row.area)
            areas[(district.pk, area.name_normalized)] = area
            summary.areas_created += 1
        place = places.get((district.pk, normalize(row.neighborhood)))
        if place is None:
            place = Neighborhood.objects.create(
                area=area, name=row.neighborhood, latitude=row.latitude, longitude=row.longitude
            )
            places[(district.pk, place.name_normalized)] = place
            summary.neighborhoods_created += 1
            continue
        wanted = {"area_id": area.pk, "name": row.neighborhood, "latitude": row.latitude, "longitude": row.longitude}
        if row.latitude is None and row.longitude is None:
            del wanted["latitude"], wanted["longitude"]  # an empty cell keeps what is on record
        changed = [key for key, value in wanted.items() if getattr(place, key) != value]
        if changed:
            for key in changed:
                setattr(place, key, wanted[key])
            place.area = area
            place.save()
            summary.neighborhoods_updated += 1
        else:
            summary.neighborhoods_unchanged += 1
    for city in {row.city for row in rows}:
        log_action(actor=None, action="geography.imported", target=city, note=source, changes=asdict(summary))
    return summary
