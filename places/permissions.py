"""Who may change cities, their geography and their participation settings.

A city admin acts on their own city; one with no city set (or a superuser)
acts on every city and alone may add cities. The role is read from the user
model (``is_city_admin``, ``staff_city_id``): ``accounts`` sits above this app.
District staff keep areas and neighbourhoods through the district scope of
the shared admin base.
"""

from __future__ import annotations


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
