"""Licence scans and plan attachments live in private storage and are read only through their views.

Who may download: the organisation's managers, staff whose districts it
serves and city admins of its city; everyone else, signed in or not, gets 404.
A stored file has no media URL, and the migration moves files uploaded before
the change out of public media under the same name.
"""

from __future__ import annotations

import importlib
from pathlib import Path

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404
from django.urls import reverse
from django.views.static import serve

from ngos.models import Organization, Plan
from tests import factories
from tests.security.routes import close_quietly

BACKEND = "accounts.backends.PhoneOrEmailBackend"
PNG = factories.png_bytes()
ROLES = ("owner", "other_manager", "citizen", "anonymous", "district_staff", "other_staff", "city_admin", "far_admin")
PERMITTED = {"owner", "district_staff", "city_admin"}


@pytest.fixture
def scene(
    db, settings, tmp_path, district, other_district, neighborhood, citizen, district_staff, other_district_staff
):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    owner, other_manager = factories.UserFactory(), factories.UserFactory()
    organization = factories.VerifiedOrganizationFactory(
        city=district.city, districts=[district], neighborhoods=[neighborhood], managers=[owner], licence_document=""
    )
    factories.VerifiedOrganizationFactory(city=district.city, districts=[other_district], managers=[other_manager])
    organization.licence_document.save("scan.pdf", ContentFile(factories.PDF_BYTES))
    plan = factories.PlanFactory(organization=organization, target_neighborhoods=[neighborhood])
    # A PNG under a .pdf name: the download is typed by its bytes, not its name.
    plan.attachment.save("proposal.pdf", ContentFile(PNG))
    people = {
        "owner": owner,
        "other_manager": other_manager,
        "citizen": citizen,
        "anonymous": None,
        "district_staff": district_staff,
        "other_staff": other_district_staff,
        "city_admin": factories.CityAdminFactory(is_superuser=False, staff_city=district.city),
        "far_admin": factories.CityAdminFactory(is_superuser=False, staff_city=factories.CityFactory()),
    }
    return organization, plan, people


def _get(client, user, url):
    client.logout()
    if user is not None:
        client.force_login(user, backend=BACKEND)
    response = client.get(url)
    body = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    close_quietly(response)
    return response, body


@pytest.mark.parametrize(
    ("what", "content", "content_type"),
    [("licence", factories.PDF_BYTES, "application/pdf"), ("plan", PNG, "image/png")],
    ids=["licence", "plan"],
)
def test_download_by_role(client, scene, what, content, content_type):
    organization, plan, people = scene
    if what == "licence":
        url, filename = reverse("ngos:licence_document", args=[organization.pk]), f"licence-{organization.pk}.pdf"
    else:
        url, filename = reverse("ngos:plan_attachment", args=[plan.pk]), f"plan-{plan.pk}.pdf"
    outcomes = {}
    for role in ROLES:
        response, body = _get(client, people[role], url)
        outcomes[role] = response.status_code
        if response.status_code == 200:
            assert body == content, role
            assert response["Content-Type"] == content_type
            assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
            assert response["X-Content-Type-Options"] == "nosniff"
            assert response["Cache-Control"] == "private, no-store"
        else:
            assert content not in body, role
    assert outcomes == {role: 200 if role in PERMITTED else 404 for role in ROLES}


def test_missing_file_is_404_not_500(client, scene):
    organization, plan, people = scene
    Plan.objects.filter(pk=plan.pk).update(attachment="")
    Organization.objects.filter(pk=organization.pk).update(licence_document="ngos/licences/gone.pdf")
    for url in (
        reverse("ngos:plan_attachment", args=[plan.pk]),
        reverse("ngos:licence_document", args=[organization.pk]),
    ):
        assert _get(client, people["owner"], url)[0].status_code == 404


def test_files_have_no_media_url_and_pages_and_api_link_the_view(client, api_client, scene, settings):
    organization, plan, people = scene
    for stored in (organization.licence_document, plan.attachment):
        assert stored.url == ""
        assert not (Path(settings.MEDIA_ROOT) / stored.name).exists()
        assert (Path(settings.PRIVATE_MEDIA_ROOT) / stored.name).is_file()
        # What a web server serving MEDIA_ROOT under MEDIA_URL would answer.
        with pytest.raises(Http404):
            serve(None, stored.name, document_root=settings.MEDIA_ROOT)
    licence_url = reverse("ngos:licence_document", args=[organization.pk])
    attachment_url = reverse("ngos:plan_attachment", args=[plan.pk])

    client.force_login(people["owner"], backend=BACKEND)
    for page, link in (
        (reverse("ngos:detail", args=[organization.pk]), licence_url),
        (reverse("ngos:manage", args=[organization.pk]), licence_url),
        (reverse("ngos:plan_detail", args=[plan.pk]), attachment_url),
    ):
        html = client.get(page).content.decode()
        assert f'href="{link}"' in html and settings.MEDIA_URL + "ngos/" not in html, page
    client.force_login(people["citizen"], backend=BACKEND)
    assert licence_url not in client.get(reverse("ngos:detail", args=[organization.pk])).content.decode()

    api_client.force_authenticate(people["district_staff"])
    body = api_client.get(f"/api/v1/organizations/{organization.pk}/").json()
    assert body["licence_document"] == f"http://testserver{licence_url}"
    assert api_client.get(f"/api/v1/plans/{plan.pk}/").json()["attachment"] == f"http://testserver{attachment_url}"
    api_client.force_authenticate(people["citizen"])
    assert "licence_document" not in api_client.get(f"/api/v1/organizations/{organization.pk}/").json()
    assert api_client.get(f"/api/v1/plans/{plan.pk}/").status_code == 404


def test_admin_links_the_download_view(client, scene):
    organization, plan, people = scene
    client.force_login(people["district_staff"], backend=BACKEND)
    html = client.get(reverse("admin:ngos_organization_change", args=[organization.pk])).content.decode()
    assert reverse("ngos:licence_document", args=[organization.pk]) in html
    assert organization.licence_document.name not in html
    html = client.get(reverse("admin:ngos_plan_change", args=[plan.pk])).content.decode()
    assert reverse("ngos:plan_attachment", args=[plan.pk]) in html
    assert plan.attachment.name not in html


def test_migration_moves_public_files_to_private_storage_keeping_names(client, scene, settings):
    organization, plan, people = scene
    migration = importlib.import_module("ngos.migrations.0003_private_licence_and_plan_files")
    # Files as they were before: in public media, named by the records.
    licence_name = default_storage.save("ngos/licences/0123456789abcdef0123456789abcdef.pdf", ContentFile(b"%PDF-old"))
    plan_name = default_storage.save("ngos/plans/fedcba9876543210fedcba9876543210.png", ContentFile(PNG))
    Organization.objects.filter(pk=organization.pk).update(licence_document=licence_name)
    Plan.objects.filter(pk=plan.pk).update(attachment=plan_name)
    public, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)

    migration.to_private(apps, None)
    for name in (licence_name, plan_name):
        assert not (public / name).exists() and (private / name).is_file(), name
    assert Organization.objects.get(pk=organization.pk).licence_document.name == licence_name
    assert Plan.objects.get(pk=plan.pk).attachment.name == plan_name
    response, body = _get(client, people["owner"], reverse("ngos:licence_document", args=[organization.pk]))
    assert response.status_code == 200 and body == b"%PDF-old"

    # A second run moves nothing and loses nothing.
    migration.to_private(apps, None)
    assert (private / licence_name).read_bytes() == b"%PDF-old"
    assert (private / plan_name).read_bytes() == PNG
    assert migration.move_files(apps, default_storage, migration.core.private_files.private_storage()) == 0
