"""The guided registration, the manager's dashboard and edit pages."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ngos.models import Organization, OrganizationStatus
from tests import factories


@pytest.mark.django_db
def test_guided_registration_to_submission(client_for, citizen, district, neighborhood):
    client = client_for(citizen)
    assert client.get("/organizations/register/").status_code == 200
    step1 = client.post(
        "/organizations/register/",
        {
            "city": district.city_id,
            "kind": "benefactors_assembly",
            "name": "مجمع خیرین مدرسه‌ساز",
            "registration_number": "۱۲۳۴۵",
            "managing_director": "حسن رضایی",
            "summary": "ساخت مدرسه",
        },
    )
    organization = Organization.objects.get()
    assert step1["Location"] == f"/organizations/{organization.pk}/edit/licence/"
    step2 = client.post(
        f"/organizations/{organization.pk}/edit/licence/",
        {
            "licence_issuer": "interior_ministry",
            "licence_number": "۴۵۶",
            "licence_issued_on": "۱۴۰۲/۰۱/۱۵",
            "licence_expires_on": "۱۴۰۸/۰۱/۱۵",
            "licence_document": SimpleUploadedFile("l.pdf", factories.PDF_BYTES),
            "continue": "1",
        },
    )
    assert step2["Location"] == f"/organizations/{organization.pk}/edit/areas/"
    step3 = client.post(
        f"/organizations/{organization.pk}/edit/areas/",
        {"activities": ["education"], "districts": [district.pk], "neighborhoods": [neighborhood.pk], "continue": "1"},
    )
    assert step3["Location"] == f"/organizations/{organization.pk}/edit/contacts/"
    client.post(f"/organizations/{organization.pk}/edit/contacts/", {"address": "تهران", "website": "example.org"})
    organization.refresh_from_db()
    assert organization.website == "https://example.org"
    assert organization.licence_issued_on.isoformat() == "2023-04-04"
    manage = client.get(f"/organizations/{organization.pk}/manage/").content.decode()
    assert "1408/01/15" in client.get(f"/organizations/{organization.pk}/edit/licence/").content.decode()
    assert "/submit/" in manage
    client.post(f"/organizations/{organization.pk}/submit/")
    organization.refresh_from_db()
    assert organization.status == OrganizationStatus.SUBMITTED


@pytest.mark.django_db
def test_bad_jalali_date_and_duplicate_are_form_errors(client_for, manager, organization, other_organization):
    client = client_for(manager)
    response = client.post(
        f"/organizations/{organization.pk}/edit/licence/",
        {
            "licence_issuer": other_organization.licence_issuer,
            "licence_number": other_organization.licence_number.lower(),
            "licence_issued_on": "1402/13/40",
            "licence_expires_on": "1403/01/01",
        },
    )
    assert response.status_code == 200
    form = response.context["form"]
    assert "licence_issued_on" in form.errors and "licence_number" in form.errors


@pytest.mark.django_db
def test_dashboard_shows_what_staff_asked_to_fix(client_for, manager, district):
    organization = factories.OrganizationFactory(
        city=district.city, managers=[manager], review_note="تصویر پروانه خوانا نیست"
    )
    html = client_for(manager).get("/organizations/dashboard/").content.decode()
    assert "تصویر پروانه خوانا نیست" in html
    manage = client_for(manager).get(f"/organizations/{organization.pk}/manage/").content.decode()
    assert "تصویر پروانه خوانا نیست" in manage


@pytest.mark.django_db
def test_rejected_profile_cannot_be_edited(client_for, manager, district):
    organization = factories.OrganizationFactory(city=district.city, managers=[manager], status="rejected")
    assert client_for(manager).get(f"/organizations/{organization.pk}/edit/").status_code == 403


@pytest.mark.django_db
def test_english_pages_work_too(client, organization):
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    html = client.get("/organizations/").content.decode()
    assert "Organisations and charities" in html
