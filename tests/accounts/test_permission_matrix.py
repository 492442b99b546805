"""Role × residency decision × expected result, through the admin as staff use it.

"ok" (done), "denied" (refused, nothing changed) or "login" (sent to the admin's sign-in).
"""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.models import CensusEntry, ResidencyStatus
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = ("anonymous", "citizen", "stranger", "district_staff", "other_district_staff", "city_admin")


@pytest.fixture
def resident(neighborhood):
    """Lives in the fixture district (the one ``district_staff`` serves) and set the home ten days ago."""
    return factories.UserFactory(
        home_neighborhood=neighborhood, home_since=timezone.now() - dt.timedelta(days=10), display_name="ساکن نمونه"
    )


def _result(response, done: bool) -> str:
    if response.status_code == 302 and "/admin/login/" in response.get("Location", ""):
        return "login"
    return "ok" if done else "denied"


def allow_early_move(client, resident, district):
    r = client.post(
        "/admin/accounts/resident/",
        {"action": "allow_early_move", "_selected_action": [resident.pk], "apply": "1", "note": "اسباب‌کشی"},
    )
    resident.refresh_from_db()
    return _result(r, resident.home_move_allowed)


def mark_residency_verified(client, resident, district):
    r = client.post(
        "/admin/accounts/resident/",
        {"action": "mark_residency_verified", "_selected_action": [resident.pk], "apply": "1", "note": "قبض"},
    )
    resident.refresh_from_db()
    return _result(r, resident.residency_status == ResidencyStatus.VERIFIED)


def upload_census_list(client, resident, district):
    upload = SimpleUploadedFile(
        "census.csv", f"national_code,neighborhood\n0499370899,{resident.home_neighborhood.name}\n".encode()
    )
    r = client.post("/admin/accounts/censuslist/add/", {"city": district.city_id, "file": upload})
    return _result(r, CensusEntry.objects.exists())


def see_residents(client, resident, district):
    r = client.get("/admin/accounts/resident/")
    return _result(r, r.status_code == 200 and "ساکن نمونه" in r.content.decode())


#                            anonymous  citizen  stranger  d.staff  other staff  city admin
EXPECTED = {
    allow_early_move: ("login", "login", "login", "ok", "denied", "ok"),
    mark_residency_verified: ("login", "login", "login", "ok", "denied", "ok"),
    upload_census_list: ("login", "login", "login", "denied", "denied", "ok"),
    see_residents: ("login", "login", "login", "ok", "denied", "ok"),
}
CASES = [(action, role, expected[i]) for action, expected in EXPECTED.items() for i, role in enumerate(ROLES)]


@pytest.mark.parametrize(("action", "role", "expected"), CASES, ids=[f"{a.__name__}-{r}" for a, r, _e in CASES])
def test_matrix(request, client, resident, district, action, role, expected):
    if role != "anonymous":
        client.force_login(request.getfixturevalue(role), backend="accounts.backends.PhoneOrEmailBackend")
    assert action(client, resident, district) == expected
