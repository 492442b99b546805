"""Place pickers for forms: «نارمک — منطقهٔ ۸», neighbourhoods grouped by district.

Neighbourhood names repeat across districts, so a picker names each with its
district; the public pickers group them under their districts (by number),
and the admin's autocomplete shows the same label.
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext

from core.forms import GroupedModelMultipleChoiceField
from core.persian import localize_digits
from places.models import District, Neighborhood


def district_label(district: District) -> str:
    """«منطقهٔ ۸»: districts are known by their number."""
    return gettext("District %(number)s") % {"number": localize_digits(district.number)}


def neighborhood_label(neighborhood: Neighborhood) -> str:
    """«نارمک — منطقهٔ ۸» (reads ``district``: select it with the neighbourhood)."""
    return f"{neighborhood.name} — {district_label(neighborhood.district)}"


def _by_district(neighborhood: Neighborhood) -> tuple[tuple[int, int], str]:
    district = neighborhood.district
    return (district.city_id, district.number), district_label(district)


def _by_city(district: District) -> tuple[tuple[str, int], str]:
    return (district.city.name_normalized, district.city_id), district.city.name


def neighborhood_picker(queryset: QuerySet, **kwargs) -> GroupedModelMultipleChoiceField:
    """Neighbourhoods grouped by district, each named with its district."""
    return GroupedModelMultipleChoiceField(
        queryset.select_related("district"), group_of=_by_district, label_of=neighborhood_label, **kwargs
    )


def district_picker(queryset: QuerySet, **kwargs) -> GroupedModelMultipleChoiceField:
    """Districts grouped by city, in number order within each (their names sort wrongly: «۱۰» before «۲»)."""
    return GroupedModelMultipleChoiceField(
        queryset.select_related("city"),
        group_of=_by_city,
        label_of=district_label,
        order_of=lambda district: district.number,
        **kwargs,
    )
