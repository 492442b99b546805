"""What happens in a place, as told by the apps above: projects, organisations, later polls.

Place pages sit low in the app layers, below the apps whose rows they
summarise, so those apps hand in a function from their ``AppConfig.ready()``
instead of the page reaching up for them. Each function gets the district
or neighbourhood and returns template context (a few queries, the same
number whatever the data).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Literal

from django.db.models import Model

PlaceKind = Literal["district", "neighborhood"]
_PROVIDERS: dict[str, list[Callable[[Model], dict[str, Any]]]] = {"district": [], "neighborhood": []}


def register(kind: PlaceKind, provider: Callable[[Model], dict[str, Any]]) -> None:
    _PROVIDERS[kind].append(provider)


def of_place(kind: PlaceKind, place: Model) -> dict[str, Any]:
    context: dict[str, Any] = {}
    for provider in _PROVIDERS[kind]:
        context.update(provider(place))
    return context
