"""Factories for the notification outbox, preferences and follows."""

from __future__ import annotations

import factory
from django.utils import timezone

from notifications.events import Channel
from notifications.models import (
    DigestFrequency,
    Notification,
    NotificationSettings,
    Preference,
    Status,
    Subscription,
)
from tests.factories.core import HOSTILE_LONG, UserFactory, hostile

__all__ = ["NotificationFactory", "NotificationSettingsFactory", "PreferenceFactory", "SubscriptionFactory"]


class NotificationFactory(factory.django.DjangoModelFactory):
    """An inbox entry by default; pass ``channel``/``status`` for outbox rows."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    event = "comment_replied"
    channel = Channel.IN_APP
    subject = hostile("موضوع ")
    body = factory.LazyFunction(lambda: HOSTILE_LONG)
    url = factory.Sequence(lambda n: f"/projects/{n + 1}/")
    target_repr = hostile("پروژه ")
    status = Status.SENT
    sent_at = factory.LazyFunction(timezone.now)


class PreferenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Preference

    user = factory.SubFactory(UserFactory)
    event = "comment_replied"
    channel = Channel.EMAIL
    enabled = False


class NotificationSettingsFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = NotificationSettings

    user = factory.SubFactory(UserFactory)
    digest = DigestFrequency.DAILY


class SubscriptionFactory(factory.django.DjangoModelFactory):
    """A follow: ``SubscriptionFactory(user=citizen, target=project)`` (any followable object)."""

    class Meta:
        model = Subscription

    user = factory.SubFactory(UserFactory)
