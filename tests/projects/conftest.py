from __future__ import annotations

import pytest

from places.models import ModerationPolicy
from tests import factories


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """Hashing every factory user's password at full strength would dominate this folder's run time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def project(district, neighborhood):
    return factories.ProjectFactory(district=district, neighborhoods=[neighborhood])


@pytest.fixture
def unverified(neighborhood):
    """A resident of the district whose mobile number no SMS code has proved yet."""
    return factories.UserFactory(home_neighborhood=neighborhood, unverified=True)


@pytest.fixture
def other_project(other_district):
    hood = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    return factories.ProjectFactory(district=other_district, neighborhoods=[hood])


@pytest.fixture
def city_settings(district):
    """The participation settings of the fixture district's city (pre-moderation, 3 flags)."""
    return factories.CityParticipationSettingsFactory(city=district.city)


@pytest.fixture
def post_moderation(city_settings):
    city_settings.moderation_policy = ModerationPolicy.POST
    city_settings.save()
    return city_settings


@pytest.fixture
def api_as(api_client):
    def _login(user):
        api_client.force_authenticate(user)
        return api_client

    return _login


HTMX = {"HTTP_HX_REQUEST": "true"}
