"""Who may change cities, their geography and their participation settings.

A city admin acts on their own city; one with no city set (or a superuser)
acts on every city and alone may add cities. The role is read from the user
model (``is_city_admin``, ``staff_city_id``): ``accounts`` sits above this app.
District staff keep areas and neighbourhoods in the districts they serve
(``core.scope``, decided in ``accounts``).
"""

from __future__ import annotations

from core import scope
from places.models import Area, City, Neighborhood


def is_city_admin(user) -> bool:
    return bool(user.is_authenticated and getattr(user, "is_city_admin", False))


def can_manage_city(user, city_id: int | None = None) -> bool:
    """City records, city-wide settings and idea rounds: city admins of that city (or of every city).

    Without ``city_id`` the question is "may they act on every city", e.g. add one.
    """
    if not is_city_admin(user):
        return False
    if user.is_superuser or user.staff_city_id is None:
        return True
    return city_id is not None and city_id == user.staff_city_id


def can_manage_place(user, place) -> bool:
    """Cities, districts and city settings are the city admins'; areas and neighbourhoods their district staff's.

    ``place`` is a row as it is or will be (saved or not): a new city asks
    whether the user may act on every city.
    """
    if isinstance(place, City):
        return can_manage_city(user, place.pk)
    if isinstance(place, Area):
        district_id = place.district_id
    elif isinstance(place, Neighborhood):
        district_id = place.area.district_id if place.area_id else None
    else:  # a district, or a city's participation settings
        return place.city_id is not None and can_manage_city(user, place.city_id)
    return district_id is not None and scope.can_act_in_district(user, district_id)
