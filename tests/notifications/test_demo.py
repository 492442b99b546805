import io

import pytest

from notifications import demo
from notifications.models import Notification
from tests import factories


@pytest.mark.django_db
def test_demo_seed_is_idempotent():
    citizen = factories.UserFactory(phone=demo.DEMO_CITIZEN, email=None)
    demo.seed(io.StringIO())
    demo.seed(io.StringIO())
    assert Notification.objects.filter(recipient=citizen).count() == len(demo.DEMO_EVENTS)


@pytest.mark.django_db
def test_demo_seed_without_the_demo_citizen_does_nothing():
    demo.seed(io.StringIO())
    assert not Notification.objects.exists()
