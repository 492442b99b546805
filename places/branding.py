"""Each city's public look (name, logo, colours) for templates and the per-city stylesheet.

Pages read it on every request, and admins rarely change it, so it is kept in
the shared cache per city; saving or deleting a city drops the cached copy.
The stylesheet is a separate response (``places.views.city_css``): the CSP
refuses inline styles, and the pages themselves stay free of extra queries.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import post_delete, post_save

from places.models import City, Neighborhood

SOLE_CITY_KEY = "places:sole-city"
_HEX = re.compile(r"#[0-9a-f]{6}")


def _colour(value: str) -> str:
    """A colour fit for a stylesheet, or nothing: a row written around the form's check never reaches the CSS."""
    value = (value or "").strip().lower()
    return value if _HEX.fullmatch(value) else ""


@dataclass(frozen=True)
class Branding:
    city_id: int
    name: str
    logo_url: str
    primary: str
    accent: str

    @property
    def primary_dark(self) -> str:
        """The hover shade of the primary colour, as the portal's own --primary-dark is to --primary."""
        if not self.primary:
            return ""
        red, green, blue = (int(self.primary[i : i + 2], 16) for i in (1, 3, 5))
        return "#" + "".join(f"{round(c * 0.75):02x}" for c in (red, green, blue))


def _key(city_id: int) -> str:
    return f"places:branding:{city_id}"


def branding_for(city_id: int | None) -> Branding | None:
    """The city's look from the cache, or None for no city (the portal's own look)."""
    if not city_id:
        return None
    found = cache.get(_key(city_id))
    if found is None:
        city = City.objects.filter(pk=city_id).first()
        if city is None:
            return None
        found = Branding(
            city_id=city.pk,
            name=city.public_name,
            logo_url=city.logo.url if city.logo else "",
            primary=_colour(city.primary_color),
            accent=_colour(city.accent_color),
        )
        cache.set(_key(city_id), found, None)
    return found


def _sole_city_id() -> int | None:
    """An installation that serves one city shows its look to everyone."""
    found = cache.get(SOLE_CITY_KEY)
    if found is None:
        ids = list(City.objects.values_list("pk", flat=True)[:2])
        found = ids[0] if len(ids) == 1 else 0
        cache.set(SOLE_CITY_KEY, found, None)
    return found or None


def current_city_id(request) -> int | None:
    """The city whose look a visitor sees: a city admin's own city, a citizen's home city, or the only city."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        if getattr(user, "staff_city_id", None):
            return user.staff_city_id
        home = getattr(user, "home_neighborhood_id", None)
        if home:
            city = Neighborhood.objects.filter(pk=home).values_list("district__city_id", flat=True).first()
            if city:
                return city
    return _sole_city_id()


def stylesheet(branding: Branding | None) -> str:
    """The CSS custom properties a city sets; empty for the portal's own colours."""
    if branding is None:
        return ""
    props = []
    if branding.primary:
        props += [f"--primary: {branding.primary};", f"--primary-dark: {branding.primary_dark};"]
    if branding.accent:
        props.append(f"--accent: {branding.accent};")
    return ":root {\n  " + "\n  ".join(props) + "\n}\n" if props else ""


def forget_branding(sender=None, instance=None, **kwargs) -> None:
    """A city changed, came or went: drop its look and the sole-city answer now and once the change commits."""
    keys = [_key(instance.pk), SOLE_CITY_KEY]
    cache.delete_many(keys)
    if transaction.get_connection().in_atomic_block:
        transaction.on_commit(lambda: cache.delete_many(keys))


def connect_signals() -> None:
    post_save.connect(forget_branding, sender=City, dispatch_uid="places-branding-save")
    post_delete.connect(forget_branding, sender=City, dispatch_uid="places-branding-delete")


class LazyBranding:
    """The current city's look for templates, looked up only when a template asks for it."""

    def __init__(self, request) -> None:
        self._request = request
        self._loaded = False
        self._value: Branding | None = None

    def _get(self) -> Branding | None:
        if not self._loaded:
            self._value = branding_for(current_city_id(self._request))
            self._loaded = True
        return self._value

    def __bool__(self) -> bool:
        return self._get() is not None

    def __getattr__(self, name: str):
        if name.startswith("_"):
            raise AttributeError(name)
        return getattr(self._get(), name, "")


def city_branding(request) -> dict:
    """Context processor: ``city_branding.name``, ``.logo_url``, ``.primary``, ``.accent`` (empty for none)."""
    return {"city_branding": LazyBranding(request)}
