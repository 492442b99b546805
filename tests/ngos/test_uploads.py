"""Licence scans, logos and plan attachments are judged by content, in forms and in the API."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ngos.models import Organization, OrganizationStatus, Plan
from tests import factories

SVG = b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'
FAKE_PDF = b"just some text pretending to be a pdf"


def _licence_post(document: SimpleUploadedFile) -> dict:
    return {
        "licence_issuer": "governorate",
        "licence_number": "۹۸۷۶",
        "licence_issued_on": "۱۴۰۲/۰۱/۱۵",
        "licence_expires_on": "1406/01/15",
        "licence_document": document,
    }


@pytest.fixture
def draft(manager, district):
    return factories.OrganizationFactory(city=district.city, districts=[district], managers=[manager])


@pytest.mark.django_db
def test_png_named_pdf_is_accepted_as_png_in_the_form(client_for, manager, draft):
    response = client_for(manager).post(
        f"/organizations/{draft.pk}/edit/licence/",
        _licence_post(SimpleUploadedFile("licence.pdf", factories.png_bytes(), content_type="application/pdf")),
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.licence_document.name.endswith(".png")
    assert "licence" not in draft.licence_document.name.rsplit("/", 1)[-1]
    assert draft.licence_number == "۹۸۷۶"


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "content"), [("licence.pdf", FAKE_PDF), ("licence.svg", SVG)])
def test_fake_pdf_and_svg_are_refused_in_the_form(client_for, manager, draft, name, content):
    before = draft.licence_document.name
    response = client_for(manager).post(
        f"/organizations/{draft.pk}/edit/licence/", _licence_post(SimpleUploadedFile(name, content))
    )
    assert response.status_code == 200
    assert "پذیرفته" in response.content.decode()  # "this type of file is not accepted"
    draft.refresh_from_db()
    assert draft.licence_document.name == before
    assert draft.licence_number != "۹۸۷۶"  # nothing half-written


@pytest.mark.django_db
def test_oversized_file_is_refused_with_a_persian_message(client_for, manager, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    big = SimpleUploadedFile("big.pdf", factories.PDF_BYTES + b"0" * 4096)
    response = client_for(manager).post(f"/organizations/{draft.pk}/edit/licence/", _licence_post(big))
    assert response.status_code == 200
    assert "مگابایت" in response.content.decode()


@pytest.mark.django_db
def test_logo_must_be_an_image(client_for, manager, draft):
    data = {"address": "تهران", "phone": "", "email": "", "website": ""}
    pdf_logo = client_for(manager).post(
        f"/organizations/{draft.pk}/edit/contacts/",
        {**data, "logo": SimpleUploadedFile("logo.png", factories.PDF_BYTES)},
    )
    assert pdf_logo.status_code == 200
    png_logo = client_for(manager).post(
        f"/organizations/{draft.pk}/edit/contacts/",
        {**data, "logo": SimpleUploadedFile("logo.pdf", factories.png_bytes())},
    )
    assert png_logo.status_code == 302
    draft.refresh_from_db()
    assert draft.logo.name.endswith(".png")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "accepted"),
    [
        ("licence.pdf", factories.png_bytes(), True),
        ("licence.pdf", FAKE_PDF, False),
        ("licence.svg", SVG, False),
    ],
)
def test_api_judges_uploads_by_content(api_client, manager, draft, name, content, accepted):
    api_client.force_authenticate(manager)
    response = api_client.patch(
        f"/api/v1/organizations/{draft.pk}/",
        {"licence_document": SimpleUploadedFile(name, content)},
        format="multipart",
    )
    draft.refresh_from_db()
    if accepted:
        assert response.status_code == 200, response.json()
        assert draft.licence_document.name.endswith(".png")
    else:
        assert response.status_code == 400
        assert "licence_document" in response.json()["errors"]
        assert draft.licence_document.name.endswith("licence.pdf")


@pytest.mark.django_db
def test_api_oversized_upload_is_a_persian_400(api_client, manager, draft, settings):
    settings.UPLOAD_MAX_BYTES = 1024
    api_client.force_authenticate(manager)
    response = api_client.patch(
        f"/api/v1/organizations/{draft.pk}/",
        {"logo": SimpleUploadedFile("logo.png", factories.png_bytes((600, 600)) + b"0" * 4096)},
        format="multipart",
    )
    assert response.status_code == 400
    assert "مگابایت" in response.json()["errors"]["logo"][0]


@pytest.mark.django_db
def test_plan_attachment_is_checked(client_for, manager, organization, neighborhood):
    assert organization.status == OrganizationStatus.VERIFIED
    data = {
        "title": "طرح کتابخانه",
        "description": "کتابخانهٔ کودک",
        "target_neighborhoods": [neighborhood.pk],
        "estimated_budget": "1000000",
    }
    refused = client_for(manager).post(
        f"/organizations/{organization.pk}/plans/new/", {**data, "attachment": SimpleUploadedFile("a.pdf", SVG)}
    )
    assert refused.status_code == 200
    assert not Plan.objects.exists()
    accepted = client_for(manager).post(
        f"/organizations/{organization.pk}/plans/new/",
        {**data, "attachment": SimpleUploadedFile("a.pdf", factories.PDF_BYTES)},
    )
    assert accepted.status_code == 302
    assert Plan.objects.get().attachment.name.endswith(".pdf")
    assert Organization.objects.get(pk=organization.pk).status == OrganizationStatus.VERIFIED
