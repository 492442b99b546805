"""API behaviour beyond the permission matrix: payloads, errors, Jalali twins."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ngos.models import Organization, OrganizationStatus
from tests import factories


def _basic(district, **extra):
    return {
        "city": district.city_id,
        "kind": "charity",
        "name": "خیریه نور",
        "registration_number": "۸۸۸۸",
        "managing_director": "زهرا",
        "summary": "خلاصه",
        **extra,
    }


@pytest.mark.django_db
def test_register_with_all_steps_at_once(api_client, citizen, district, neighborhood):
    api_client.force_authenticate(citizen)
    today = timezone.localdate()
    response = api_client.post(
        "/api/v1/organizations/",
        _basic(
            district,
            activities=["relief", "health"],
            neighborhoods=[neighborhood.pk],
            licence_number="12/3",
            licence_issuer="governorate",
            licence_issued_on=(today - dt.timedelta(days=5)).isoformat(),
            licence_expires_on=(today + dt.timedelta(days=400)).isoformat(),
            address="تهران",
            phone="021-1234",
        ),
        format="json",
    )
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["status"] == "draft"
    assert sorted(body["activities"]) == ["health", "relief"]
    assert body["districts"] == [district.pk]  # added from the neighbourhood
    assert body["phone"] == "021-1234"  # the manager sees private fields
    assert body["licence_expires_on_jalali"].startswith("14")
    assert Organization.objects.get().registration_number_normalized == "8888"


@pytest.mark.django_db
def test_duplicate_is_a_field_error_and_nothing_is_written(api_client, citizen, district):
    factories.OrganizationFactory(city=district.city, name="خيريه نور")
    api_client.force_authenticate(citizen)
    response = api_client.post("/api/v1/organizations/", _basic(district), format="json")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert "نام" in body["errors"]["name"][0]
    assert Organization.objects.count() == 1


@pytest.mark.django_db
def test_bad_values_are_field_errors(api_client, citizen, district):
    api_client.force_authenticate(citizen)
    response = api_client.post(
        "/api/v1/organizations/",
        _basic(
            district,
            kind="bank",
            activities=["gardening"],
            licence_issued_on="2024-05-01",
            licence_expires_on="2023-01-01",
        ),  # fmt: skip
        format="json",
    )
    assert response.status_code == 400
    assert {"kind", "activities"} <= set(response.json()["errors"])


@pytest.mark.django_db
def test_licence_patch_sends_a_verified_profile_back(api_client, manager, organization):
    api_client.force_authenticate(manager)
    response = api_client.patch(f"/api/v1/organizations/{organization.pk}/", {"licence_number": "NEW-1"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == OrganizationStatus.SUBMITTED
    history = api_client.get(f"/api/v1/organizations/{organization.pk}/history/").json()
    assert history[-1]["from_status"] == "verified" and history[-1]["to_status"] == "submitted"
    assert history[-1]["created_at_jalali"]


@pytest.mark.django_db
def test_invalid_transition_is_a_400(api_client, organization, district_staff):
    api_client.force_authenticate(district_staff)
    response = api_client.post(f"/api/v1/organizations/{organization.pk}/verify/", {}, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


@pytest.mark.django_db
def test_reject_needs_a_reason(api_client, submitted, district_staff):
    api_client.force_authenticate(district_staff)
    response = api_client.post(f"/api/v1/organizations/{submitted.pk}/reject/", {}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()["errors"]


@pytest.mark.django_db
def test_full_opportunity_is_a_400_not_a_500(api_client, organization, district):
    opportunity = factories.OpportunityFactory(organization=organization, places=1)
    for _ in range(2):
        user = factories.VolunteerProfileFactory(districts=[district]).user
        api_client.force_authenticate(user)
        last = api_client.post(f"/api/v1/opportunities/{opportunity.pk}/apply/", {}, format="json")
    assert last.status_code == 400
    listed = api_client.get("/api/v1/opportunities/").json()["results"]
    assert listed[0]["free_places"] == 0 and listed[0]["date_jalali"]


@pytest.mark.django_db
def test_an_overlong_application_message_is_a_400_and_nothing_is_saved(api_client, organization, district):
    from ngos.models import Application

    opportunity = factories.OpportunityFactory(organization=organization, places=3)
    api_client.force_authenticate(factories.VolunteerProfileFactory(districts=[district]).user)
    response = api_client.post(f"/api/v1/opportunities/{opportunity.pk}/apply/", {"message": "ا" * 2001}, format="json")
    assert response.status_code == 400
    assert "message" in response.json()["errors"]
    assert not Application.objects.filter(opportunity=opportunity).exists()


@pytest.mark.django_db
def test_registration_is_rate_limited(api_client, citizen, district, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "ngo_register": (1, 3600)}
    api_client.force_authenticate(citizen)
    first = api_client.post("/api/v1/organizations/", _basic(district), format="json")
    second = api_client.post("/api/v1/organizations/", _basic(district, name="دیگر", registration_number="9"))
    assert (first.status_code, second.status_code) == (201, 429)
