"""The kinds of things people can follow, registered by the apps that own them.

A project, a neighbourhood, a district, an organisation: each owning app
names its model from ``AppConfig.ready()``::

    register_kind(name="project", model=Project)

``name`` is the kind's word in URLs (``/follow/project/<id>/``); ``url`` gives
an object's public page (``get_absolute_url()`` by default); ``visible`` says
whether a user may see, and so follow, one object (drafts stay private).
Subscriptions of a deleted object go with it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db import models
from django.db.models.signals import post_delete

from notifications.models import Subscription


@dataclass(frozen=True)
class Kind:
    name: str
    model: type[models.Model]
    url: Callable[[Any], str] | None = None
    visible: Callable[[Any, Any], bool] | None = None

    def url_of(self, target: models.Model) -> str:
        return self.url(target) if self.url is not None else target.get_absolute_url()

    def is_visible_to(self, user, target: models.Model) -> bool:
        return self.visible is None or bool(self.visible(user, target))


_by_name: dict[str, Kind] = {}
_by_model: dict[type[models.Model], Kind] = {}


def register_kind(
    *,
    name: str,
    model: type[models.Model],
    url: Callable[[Any], str] | None = None,
    visible: Callable[[Any, Any], bool] | None = None,
) -> Kind:
    """Let people follow ``model``'s objects; registering the same kind again changes nothing."""
    kind = Kind(name=name, model=model, url=url, visible=visible)
    known = _by_name.get(name)
    if known is not None and known.model is not model:
        raise ImproperlyConfigured(f"Two models are registered as the followable kind {name!r}.")
    _by_name[name] = kind
    _by_model[model] = kind
    post_delete.connect(_forget_deleted, sender=model, dispatch_uid=f"subscriptions-{model._meta.label}")
    return kind


def kind_named(name: str) -> Kind | None:
    return _by_name.get(name)


def kind_of(target: models.Model | type[models.Model]) -> Kind | None:
    """The kind of an object (or model), or None when it cannot be followed."""
    model = target if isinstance(target, type) else type(target)
    return _by_model.get(model._meta.concrete_model) or _by_model.get(model)


def kinds() -> list[Kind]:
    return list(_by_name.values())


def _forget_deleted(sender, instance, **kwargs) -> None:
    from django.contrib.contenttypes.models import ContentType

    target_type = ContentType.objects.get_for_model(sender)
    Subscription.objects.filter(target_type=target_type, target_id=instance.pk).delete()
