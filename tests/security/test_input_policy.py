"""What the portal refuses or cleans on the way in: script URLs and bidi control characters.

Policy for bidi controls (core/text.py): embeddings, overrides and
isolates (U+202A–U+202E, U+2066–U+2069) are removed from every text column of
the portal's models when a row is saved, whatever wrote it.
"""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from accounts.models import User
from neighborhoods.models import NeedReport
from ngos.models import Application, Organization
from projects.models import ProjectUpdate
from projects.services.projects import project_post_update
from tests import factories
from tests.security.scene import build_world
from tests.security.xss import BIDI_CONTROLS

BACKEND = "accounts.backends.PhoneOrEmailBackend"
PERSIAN = re.compile("[\u0600-\u06ff]")

SCRIPT_URLS = [
    "javascript:window.__xss=1",
    "JaVaScRiPt:window.__xss=1",
    " javascript:window.__xss=1",
    "javascript://example.org/%0Awindow.__xss=1",
    "java\tscript:window.__xss=1",
    "data:text/html,<script>window.__xss=1</script>",
    "vbscript:msgbox(1)",
]
SPOOF = "\u202eexe.pdf\u202c \u2066x\u2069 \u202bبند\u202a"


@pytest.fixture
def world(db):
    return build_world()


def _api(user) -> APIClient:
    client = APIClient()
    client.force_login(user, backend=BACKEND)
    return client


@pytest.mark.parametrize("url", SCRIPT_URLS)
def test_script_urls_are_refused_as_organisation_website_in_page_and_api(world, client, url):
    w = world
    client.force_login(w.people["manager"], backend=BACKEND)
    page = reverse("ngos:edit_section", kwargs={"pk": w.organization.pk, "section": "contacts"})
    response = client.post(page, {"address": "خیابان آزادی", "phone": "02155001234", "website": url})
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "website" in errors and PERSIAN.search(errors["website"][0]), errors

    api = _api(w.people["manager"]).patch(
        f"/api/v1/organizations/{w.organization.pk}/", {"website": url}, format="json"
    )
    assert api.status_code == 400, api.content
    body = api.json()
    assert body["code"] == "invalid" and "website" in body["errors"]
    assert PERSIAN.search(body["errors"]["website"][0])
    assert Organization.objects.get(pk=w.organization.pk).website == "https://example.org/"


def test_a_plain_https_website_is_accepted(world, client):
    """So the refusals above are about the scheme, not about the form."""
    w = world
    api = _api(w.people["manager"]).patch(
        f"/api/v1/organizations/{w.organization.pk}/", {"website": "https://ngo.example.ir/about"}, format="json"
    )
    assert api.status_code == 200, api.content
    assert Organization.objects.get(pk=w.organization.pk).website == "https://ngo.example.ir/about"


def _clean(value: str) -> bool:
    return BIDI_CONTROLS.isdisjoint(value)


def test_bidi_controls_are_removed_from_text_typed_in_pages(world, client):
    w = world
    trustee = w.people["trustee"]
    client.force_login(trustee, backend=BACKEND)
    response = client.post(
        reverse("neighborhoods:need_create", kwargs={"pk": w.neighborhood.pk}),
        {"category": "water", "title": f"قطعی آب {SPOOF}", "description": f"شرح {SPOOF}"},
    )
    assert response.status_code == 302, response.content[:500]
    report = NeedReport.objects.latest("pk")
    assert _clean(report.title) and _clean(report.description)
    assert "exe.pdf" in report.title and "بند" in report.title

    response = client.post(
        reverse("accounts:profile"),
        {"display_name": f"نام {SPOOF}", "email": w.secrets["trustee"].email, "home_neighborhood": w.neighborhood.pk},
    )
    assert response.status_code in (200, 302)
    trustee.refresh_from_db()
    assert "exe.pdf" in trustee.display_name and _clean(trustee.display_name)
    page = client.get(reverse("neighborhoods:need_detail", kwargs={"pk": report.pk})).content.decode()
    assert "exe.pdf" in page and _clean(page)


def test_bidi_controls_are_removed_from_text_sent_to_the_api(world):
    w = world
    manager = _api(w.people["manager"])
    response = manager.patch(
        f"/api/v1/organizations/{w.organization.pk}/",
        {"name": f"انجمن {SPOOF}", "summary": f"خلاصه {SPOOF}"},
        format="json",
    )
    assert response.status_code == 200, response.content
    organization = Organization.objects.get(pk=w.organization.pk)
    assert "exe.pdf" in organization.name and _clean(organization.name) and _clean(organization.summary)

    opportunity = factories.OpportunityFactory(organization=w.organization, places=5)
    response = _api(w.people["other_citizen"]).post(
        f"/api/v1/opportunities/{opportunity.pk}/apply/", {"message": f"سلام {SPOOF}"}, format="json"
    )
    assert response.status_code in (200, 201), response.content
    application = Application.objects.get(opportunity=opportunity, volunteer=w.people["other_citizen"])
    assert "exe.pdf" in application.message and _clean(application.message)


def test_bidi_controls_are_removed_from_text_written_by_services_and_imports(world):
    w = world
    update = project_post_update(project=w.project, actor=w.people["staff"], text=f"گزارش {SPOOF}")
    assert _clean(ProjectUpdate.objects.get(pk=update.pk).text)
    user = User.objects.create_user("09351112233", "a-Strong-pass-1404", display_name=f"کاربر {SPOOF}")
    assert _clean(User.objects.get(pk=user.pk).display_name)
    # The factories' hostile text carries U+202E too: saved rows never keep it.
    assert _clean(Organization.objects.get(pk=w.organization.pk).name)
