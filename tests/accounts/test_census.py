"""A city's census list confirms residencies: uploaded by city admins, kept as keyed digests, checked by citizens.

The list is a CSV (or XLSX) with ``national_code`` and ``neighborhood`` columns
(``district_number`` where a name repeats). No national code, nor its digest,
is ever shown in the admin; a citizen's own check neither stores the code it
was given nor lets one listed person confirm two accounts.
"""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.files.uploadedfile import SimpleUploadedFile

from accounts.identity import keyed_digest
from accounts.models import CensusEntry, CensusList, ResidencyStatus
from accounts.residency import read_census_file, residency_verifiers, residency_verify
from accounts.residency.verifiers import _load
from core.audit import history
from core.persian import to_persian_digits
from tests import factories

pytestmark = pytest.mark.django_db


def national_code(n: int) -> str:
    body = f"{271_000_000 + n:09d}"
    remainder = sum(int(body[i]) * (10 - i) for i in range(9)) % 11
    return body + str(remainder if remainder < 2 else 11 - remainder)


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def hoods(district, other_district):
    area = factories.AreaFactory(district=district)
    return (
        factories.NeighborhoodFactory(area=area, name="گلستان"),
        factories.NeighborhoodFactory(area=area, name="بهار"),
        # the same name in another district of the city
        factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district), name="گلستان"),
    )


def _csv(*rows: str, header: str = "national_code,neighborhood,district_number") -> SimpleUploadedFile:
    return SimpleUploadedFile("census.csv", "\n".join([header, *rows]).encode(), content_type="text/csv")


def _upload(client, city, upload):
    return client.post("/admin/accounts/censuslist/add/", {"city": city.pk, "file": upload})


# --- the upload ---------------------------------------------------------------------------
def test_a_city_admin_uploads_a_list_kept_only_as_digests(client_for, city_admin, district, hoods):
    codes = [national_code(i) for i in range(3)]
    persian = to_persian_digits(codes[0][:3] + "-" + codes[0][3:])  # as typed: Persian digits and a dash
    upload = _csv(
        f"{persian},گلستان,{district.number}",
        f"{codes[1]},بهار,",
        f"{codes[2]},گلستان,{hoods[2].district.number}",
    )
    response = _upload(client_for(city_admin), district.city, upload)
    assert response.status_code == 302, response.content.decode()[-3000:]
    census = CensusList.objects.get(city=district.city)
    assert census.entry_count == 3 and census.uploaded_by == city_admin and census.file_name == "census.csv"
    stored = set(CensusEntry.objects.values_list("digest", "neighborhood_id"))
    assert stored == {
        (keyed_digest("national_code", codes[0]), hoods[0].pk),
        (keyed_digest("national_code", codes[1]), hoods[1].pk),
        (keyed_digest("national_code", codes[2]), hoods[2].pk),
    }
    assert history(census).get(action="census_list.uploaded").actor == city_admin

    # The admin shows neighbourhoods and the upload, never a code or a digest.
    client = client_for(city_admin)
    for url in ("/admin/accounts/censuslist/", f"/admin/accounts/censuslist/{census.pk}/change/"):
        page = client.get(url).content.decode()
        assert page and all(code not in page for code in codes)
        assert all(digest not in page for digest, _hood in stored)
    detail = client.get(f"/admin/accounts/censuslist/{census.pk}/change/").content.decode()
    assert "گلستان" in detail and "بهار" in detail
    assert client.get("/admin/accounts/censusentry/").status_code == 404  # entries have no admin page


def test_every_bad_row_is_reported_with_its_number_and_nothing_is_stored(client_for, city_admin, district, hoods):
    good = national_code(1)
    upload = _csv(
        f"{good},گلستان,{district.number}",
        "1234567890,بهار,",  # wrong check digit
        f"{national_code(2)},ناکجا,",  # no such neighbourhood
        f"{national_code(3)},گلستان,",  # two districts have one
        f"{good},بهار,",  # the same person twice
        "",
        f"{national_code(4)},,",  # empty neighbourhood
    )
    response = _upload(client_for(city_admin), district.city, upload)
    html = response.content.decode()
    assert response.status_code == 200
    for row, words in (
        ("۳", "کد ملی معتبر"),
        ("۴", "ناکجا"),
        ("۵", "شماره منطقه"),
        ("۶", "ردیف ۲"),
        ("۸", "خالی"),
    ):
        assert f"ردیف {row}: " in html and words in html, row
    assert not CensusEntry.objects.exists() and not CensusList.objects.exists()


def test_a_new_upload_replaces_the_list_at_once_and_a_bad_one_keeps_the_old(client_for, city_admin, district, hoods):
    client = client_for(city_admin)
    _upload(client, district.city, _csv(f"{national_code(1)},بهار,", f"{national_code(2)},بهار,"))
    assert CensusEntry.objects.count() == 2
    _upload(client, district.city, _csv(f"{national_code(3)},بهار,"))
    assert list(CensusEntry.objects.values_list("digest", flat=True)) == [
        keyed_digest("national_code", national_code(3))
    ]
    assert CensusList.objects.get().entry_count == 1
    bad = _upload(client, district.city, _csv("not-a-code,بهار,"))
    assert bad.status_code == 200
    assert CensusEntry.objects.count() == 1 and CensusList.objects.get().entry_count == 1


def test_a_spreadsheet_keeps_leading_zeros_of_codes_it_stored_as_numbers(district, hoods):
    from openpyxl import Workbook

    code = "00" + national_code(5)[2:9]
    remainder = sum(int(code[i]) * (10 - i) for i in range(9)) % 11
    code += str(remainder if remainder < 2 else 11 - remainder)
    book = Workbook()
    sheet = book.active
    sheet.append(["کد ملی", "محله"])
    sheet.append([int(code), "بهار"])
    data = io.BytesIO()
    book.save(data)
    data.seek(0)
    parsed = read_census_file(city=district.city, stream=data, filename="list.xlsx")
    assert parsed.errors == []
    assert parsed.entries == [(keyed_digest("national_code", code), hoods[1].pk)]


def test_only_city_admins_upload(client_for, district_staff, district, hoods):
    client = client_for(district_staff)
    assert client.get("/admin/accounts/censuslist/").status_code == 403
    response = _upload(client, district.city, _csv(f"{national_code(1)},بهار,"))
    assert response.status_code == 403
    assert not CensusEntry.objects.exists()


# --- the citizen's check -------------------------------------------------------------------
@pytest.fixture
def listed(client_for, city_admin, district, hoods):
    """The city's list: national_code(1) lives in hoods[1]."""
    rows = (f"{national_code(1)},بهار,", f"{national_code(2)},گلستان,{district.number}")
    assert _upload(client_for(city_admin), district.city, _csv(*rows)).status_code == 302
    return national_code(1)


def test_a_citizen_confirms_their_residency_with_their_national_code(client_for, listed, hoods):
    citizen = factories.UserFactory(home_neighborhood=hoods[1])
    client = client_for(citizen)
    page = client.get("/accounts/profile/").content.decode()
    assert 'action="/accounts/profile/residency/"' in page
    response = client.post("/accounts/profile/residency/", {"national_code": to_persian_digits(listed)}, follow=True)
    assert "سکونت شما در محله‌تان تأیید شد" in response.content.decode()
    citizen.refresh_from_db()
    assert citizen.residency_status == ResidencyStatus.VERIFIED and citizen.residency_verified_at
    assert citizen.national_code is None  # the check does not keep the code
    assert listed not in client.get("/accounts/profile/").content.decode()
    assert history(citizen).get(action="user.residency_verified").note == "CensusListVerifier"


def test_a_code_listed_elsewhere_or_not_at_all_does_not_confirm(client_for, listed, hoods):
    citizen = factories.UserFactory(home_neighborhood=hoods[0])  # listed for hoods[1], lives in hoods[0]
    client = client_for(citizen)
    for code in (listed, national_code(9)):
        response = client.post("/accounts/profile/residency/", {"national_code": code})
        assert response.status_code == 400 and "نتوانستیم تأیید کنیم" in response.content.decode()
    bad = client.post("/accounts/profile/residency/", {"national_code": "12345"})
    assert bad.status_code == 400
    citizen.refresh_from_db()
    assert citizen.residency_status == ResidencyStatus.DECLARED


def test_one_listed_person_confirms_one_account(listed, hoods):
    first = factories.UserFactory(home_neighborhood=hoods[1])
    second = factories.UserFactory(home_neighborhood=hoods[1])
    assert residency_verify(user=first, national_code=listed) is True
    assert residency_verify(user=second, national_code=listed) is False
    assert CensusEntry.objects.get(digest=keyed_digest("national_code", listed)).claimed_by == first


def test_the_code_kept_on_the_profile_must_be_the_one_typed(listed, hoods):
    citizen = factories.UserFactory(home_neighborhood=hoods[1], national_code=national_code(2))
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as refused:
        residency_verify(user=citizen, national_code=listed)
    assert "national_code" in refused.value.message_dict


def test_attempts_are_limited_per_account(client_for, listed, hoods, settings):
    citizen = factories.UserFactory(home_neighborhood=hoods[0])
    client = client_for(citizen)
    codes = [national_code(20 + i) for i in range(6)]
    answers = [client.post("/accounts/profile/residency/", {"national_code": c}).status_code for c in codes]
    assert answers == [400, 400, 400, 400, 400, 429]
    # The limit is the account's: another account from the same address still gets its tries.
    other = factories.UserFactory(home_neighborhood=hoods[1])
    assert client_for(other).post("/accounts/profile/residency/", {"national_code": listed}).status_code == 302


# --- the verifier interface ------------------------------------------------------------------
class AlwaysYes:
    def verify(self, user, national_code, neighborhood) -> bool:
        return True


class NotAVerifier:
    pass


def test_a_city_plugs_in_its_own_verifier(settings, hoods):
    settings.RESIDENCY_VERIFIERS = [f"{__name__}.AlwaysYes"]
    citizen = factories.UserFactory(home_neighborhood=hoods[0])
    assert [type(v).__name__ for v in residency_verifiers()] == ["AlwaysYes"]
    assert residency_verify(user=citizen, national_code=national_code(1)) is True
    settings.RESIDENCY_VERIFIERS = [f"{__name__}.NotAVerifier"]
    with pytest.raises(ImproperlyConfigured):
        residency_verifiers()
    _load.cache_clear()
