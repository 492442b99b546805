"""Personas and records for the organisations tests.

``manager`` manages ``organization`` (verified, serving ``district``);
``other_manager`` manages ``other_organization`` (verified, serving
``other_district``). Uploaded files go to a temporary MEDIA_ROOT.
"""

from __future__ import annotations

import pytest

from tests import factories
from tests.ngos.matrix import ROLES, build_scene


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The matrix signs in seven people per test; real password hashing would dominate the run."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def manager(db):
    return factories.UserFactory()


@pytest.fixture
def other_manager(db):
    return factories.UserFactory()


@pytest.fixture
def organization(district, neighborhood, manager):
    return factories.VerifiedOrganizationFactory(
        city=district.city, districts=[district], neighborhoods=[neighborhood], managers=[manager]
    )


@pytest.fixture
def other_organization(other_district, other_manager):
    return factories.VerifiedOrganizationFactory(
        city=other_district.city, districts=[other_district], managers=[other_manager]
    )


@pytest.fixture
def submitted(district, manager):
    """A submitted profile of ``manager``'s, serving ``district``."""
    return factories.OrganizationFactory(
        city=district.city, districts=[district], managers=[manager], status="submitted"
    )


@pytest.fixture
def persona(citizen, manager, other_manager, district_staff, other_district_staff, city_admin):
    """Look a persona up by name: ``persona("manager")``; ``None`` for anonymous."""
    people = {
        "anonymous": None,
        "citizen": citizen,
        "manager": manager,
        "other_manager": other_manager,
        "district_staff": district_staff,
        "other_district_staff": other_district_staff,
        "city_admin": city_admin,
    }
    return people.__getitem__


@pytest.fixture
def scene(persona, district, other_district, neighborhood, organization, other_organization):
    """Every record the role × action tests act on (``tests.ngos.matrix``)."""
    people = {role: persona(role) for role in ROLES}
    return build_scene(people, district, other_district, neighborhood, organization, other_organization)
