"""``seed_demo`` gives every kind of follow a few rows and the demo citizen an inbox; running it again adds nothing."""

from __future__ import annotations

import io
from collections import Counter

import pytest
from django.core.management import call_command

from notifications.models import Notification, Subscription


def _state() -> tuple[Counter, int]:
    kinds = Counter(Subscription.objects.values_list("target_type__model", flat=True))
    return kinds, Notification.objects.filter(recipient__phone="+989120000002").count()


@pytest.mark.django_db
def test_seed_demo_follows_every_kind_and_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("seed_demo", stdout=io.StringIO())
    kinds, inbox = _state()
    assert all(kinds[kind] >= 2 for kind in ("project", "neighborhood", "district", "organization")), kinds
    assert inbox == 3
    call_command("seed_demo", stdout=io.StringIO())
    assert _state() == (kinds, inbox)
