"""Identity, duplicates and licence status of organisations."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from ngos import services
from ngos.models import LicenceStatus, Organization, licence_status_for, normalize_identifier
from tests import factories

TODAY = dt.date(2025, 3, 1)


@pytest.mark.parametrize(
    ("days", "expected"),
    [
        (-1, LicenceStatus.EXPIRED),  # expired yesterday
        (0, LicenceStatus.EXPIRING),  # expires today: still valid today, so expiring
        (1, LicenceStatus.EXPIRING),
        (30, LicenceStatus.EXPIRING),  # in 30 days: the last day of the window
        (31, LicenceStatus.VALID),
        (365, LicenceStatus.VALID),
    ],
)
def test_licence_status_at_the_boundaries(days, expected):
    assert licence_status_for(TODAY + dt.timedelta(days=days), today=TODAY) == expected


def test_licence_without_dates_is_missing():
    assert licence_status_for(None) == LicenceStatus.MISSING


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("days", "expected"),
    [(-1, LicenceStatus.EXPIRED), (0, LicenceStatus.EXPIRING), (30, LicenceStatus.EXPIRING), (31, LicenceStatus.VALID)],
)
def test_licence_filter_agrees_with_the_property(days, expected):
    today = timezone.localdate()
    organization = factories.OrganizationFactory(licence_expires_on=today + dt.timedelta(days=days))
    assert organization.licence_status == expected
    for status in LicenceStatus.values:
        found = Organization.objects.with_licence_status(status).filter(pk=organization.pk).exists()
        assert found == (status == expected), status


def test_identifiers_compare_on_normalised_digits():
    assert normalize_identifier("۱۲۳/۴۵-۶") == normalize_identifier("123456") == "123456"
    assert normalize_identifier("١٢٣ ٤٥٦") == "123456"  # Arabic-Indic digits
    assert normalize_identifier(" LIC-0042 ") == "lic0042"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("stored", "typed"),
    [
        ("خیریه علی‌اکبر", "خيريه علياكبر"),  # ی/ي, ZWNJ dropped
        ("کانون کودک", "كانون كودك"),  # ک/ك
        ("سمن مهر ۱۲", "سمن مهر 12"),  # Persian / ASCII digits
        ("سمن  مهر", "سمن مهر"),  # extra spaces
    ],
)
def test_duplicate_names_are_caught_after_normalisation(stored, typed, citizen, district):
    factories.OrganizationFactory(city=district.city, name=stored)
    with translation.override("fa"), pytest.raises(ValidationError) as error:
        services.organization_register(
            user=citizen,
            city=district.city,
            kind="ngo",
            name=typed,
            registration_number="999-1",
            managing_director="مدیر",
            summary="خلاصه",
        )
    assert "name" in error.value.message_dict
    assert "نام" in error.value.message_dict["name"][0]
    assert not Organization.objects.filter(registration_number_normalized="9991").exists()


@pytest.mark.django_db
def test_same_name_in_another_city_is_allowed(citizen, district):
    factories.OrganizationFactory(city=district.city, name="خیریه امید")
    elsewhere = factories.CityFactory()
    organization = services.organization_register(
        user=citizen,
        city=elsewhere,
        kind="charity",
        name="خيريه اميد",
        registration_number="777",
        managing_director="مدیر",
        summary="خلاصه",
    )
    assert organization.city == elsewhere


@pytest.mark.django_db
def test_duplicate_registration_number_with_persian_digits_is_caught(citizen, district):
    factories.OrganizationFactory(registration_number="14001234")
    with pytest.raises(ValidationError) as error:
        services.organization_register(
            user=citizen,
            city=district.city,
            kind="ngo",
            name="نامی دیگر",
            registration_number="۱۴۰۰-۱۲۳۴",
            managing_director="مدیر",
            summary="خلاصه",
        )
    assert list(error.value.message_dict) == ["registration_number"]


@pytest.mark.django_db
def test_duplicate_licence_is_caught_per_issuer(manager, organization):
    other = factories.OrganizationFactory(managers=[manager], licence_number="A-1", licence_issuer="governorate")
    mine = factories.OrganizationFactory(city=organization.city, managers=[manager], licence_number="B-2")
    with pytest.raises(ValidationError) as error:
        services.organization_update(
            user=manager, organization=mine, changes={"licence_number": "a1", "licence_issuer": "governorate"}
        )
    assert "licence_number" in error.value.message_dict
    # The same number from another issuer is another licence.
    services.organization_update(
        user=manager, organization=mine, changes={"licence_number": "a1", "licence_issuer": "interior_ministry"}
    )
    mine.refresh_from_db()
    assert mine.licence_number_normalized == other.licence_number_normalized


@pytest.mark.django_db
def test_database_constraints_back_the_checks(district):
    factories.OrganizationFactory(city=district.city, name="کانون یک", registration_number="1")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganizationFactory(city=district.city, name="كانون يك", registration_number="2")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganizationFactory(registration_number="۱")
    with pytest.raises(IntegrityError), transaction.atomic():
        factories.OrganizationFactory(licence_expires_on=dt.date(2020, 1, 1), licence_issued_on=dt.date(2021, 1, 1))


@pytest.mark.django_db
def test_search_twin_is_normalised(district):
    organization = factories.OrganizationFactory(name="كانون علي‌اكبر", summary="ياري ۱۲")
    assert "کانون علیاکبر" in organization.search_normalized
    assert "یاری 12" in organization.search_normalized
