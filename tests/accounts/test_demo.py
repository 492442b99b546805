"""The demo city has a census list and one resident whose residency it confirmed; seeding again adds nothing."""

from __future__ import annotations

import io

import pytest

from accounts import demo
from accounts.models import CensusEntry, CensusList, ResidencyStatus, User
from accounts.validators import normalize_national_code
from places import demo as places_demo

pytestmark = pytest.mark.django_db


def test_demo_census_list_and_a_confirmed_resident():
    out = io.StringIO()
    places_demo.seed(out)
    demo.seed(out)
    census = CensusList.objects.get(city__slug="tehran")
    assert census.entry_count == CensusEntry.objects.count() > 0
    citizen = User.objects.get(phone="+989120000002")
    assert citizen.residency_status == ResidencyStatus.VERIFIED and citizen.mobile_verified
    assert CensusEntry.objects.filter(claimed_by=citizen, neighborhood=citizen.home_neighborhood).exists()
    assert all(normalize_national_code(demo.demo_national_code(i)) for i in range(50))  # valid check digits
    demo.seed(out)
    assert CensusEntry.objects.count() == census.entry_count
    assert CensusList.objects.get().uploaded_at == census.uploaded_at
