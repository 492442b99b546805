"""Every upload field, through the page, form or service people use to fill it.

For each field: the type is decided by the content (an SVG or an HTML page
named ``.png`` is refused), an image is re-encoded (its EXIF metadata and
anything appended after the pixels are gone), a file over the size limit is
refused, each refusal is a clear Persian message and stores nothing, and the
stored name is random with the extension of the real type. A private file
(the decree scan, the licence scan, a plan attachment) is stored outside public
media and served only through its permission-checked view, as an attachment,
with a safe content type and ``nosniff``.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from core.forms import format_jalali_date
from neighborhoods.admin.forms import TrusteeshipForm
from neighborhoods.models import NeedReport, Trusteeship
from ngos.models import Organization, Plan
from places.admin import CityForm
from places.models import City
from places.services import city_save
from projects.admin.projects import ProjectImageForm
from projects.models import Idea, ProjectImage, ProjectUpdateImage
from projects.services.projects import project_post_update
from tests import factories
from tests.security.routes import close_quietly
from tests.security.scene import World, build_world

BACKEND = "accounts.backends.PhoneOrEmailBackend"
PERSIAN = re.compile("[\u0600-\u06ff]")
SVG = (
    b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="window.__xss=1">'
    b"<script>window.__xss=1</script></svg>"
)
HTML = b"<!doctype html><html><body><script>window.__xss=1</script></body></html>"
TRAILER = b"<script>window.__xss=1</script>"
PDF_WITH_SCRIPT = factories.PDF_BYTES + b"<< /S /JavaScript /JS (app.alert(1)) >>"


def jpeg_with_exif() -> bytes:
    """A JPEG with a GPS position and a camera name in its EXIF, and a script appended after the image."""
    image = Image.new("RGB", (16, 16), "teal")
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {1: "N", 2: (35.0, 41.0, 21.0)}  # GPS: latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue() + TRAILER


def noise_png(side: int = 64) -> bytes:
    """A PNG of random pixels: it does not compress, so its size is known to be large."""
    out = io.BytesIO()
    Image.frombytes("RGB", (side, side), random.Random(7).randbytes(side * side * 3)).save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True)
class UploadField:
    """How a person fills one upload field, and where the stored file ends up."""

    name: str
    images_only: bool
    submit: Callable  # (world, client, upload) -> list of error messages ([] when accepted)
    stored: Callable  # (world) -> FieldFile or None


def _form_errors(response) -> list[str]:
    if response.status_code in (301, 302):
        return []
    context = response.context or {}
    form = context.get("form")
    if form is None:
        return [f"HTTP {response.status_code}"]
    return [str(m) for messages in form.errors.values() for m in messages] or [f"HTTP {response.status_code}"]


def _login(client, user):
    client.force_login(user, backend=BACKEND)
    return client


def _logo(w: World, client, upload):
    url = reverse("ngos:edit_section", kwargs={"pk": w.organization.pk, "section": "contacts"})
    data = {"address": "خیابان آزادی", "phone": "02155001234", "email": "", "website": "", "logo": upload}
    return _form_errors(_login(client, w.people["manager"]).post(url, data))


def _licence(w: World, client, upload):
    url = reverse("ngos:edit_section", kwargs={"pk": w.organization.pk, "section": "licence"})
    today = timezone.localdate()
    data = {
        "licence_issuer": "governorate",
        "licence_number": "LIC-77",
        "licence_issued_on": format_jalali_date(today - dt.timedelta(days=30)),
        "licence_expires_on": format_jalali_date(today + dt.timedelta(days=300)),
        "licence_document": upload,
    }
    return _form_errors(_login(client, w.people["manager"]).post(url, data))


def _plan(w: World, client, upload):
    url = reverse("ngos:plan_new", kwargs={"pk": w.organization.pk})
    data = {
        "title": "طرح با پیوست",
        "description": "شرح",
        "target_neighborhoods": [w.neighborhood.pk],
        "estimated_budget": 1000,
        "attachment": upload,
    }
    return _form_errors(_login(client, w.people["manager"]).post(url, data))


def _need(w: World, client, upload):
    url = reverse("neighborhoods:need_create", kwargs={"pk": w.neighborhood.pk})
    data = {"category": "water", "title": "قطعی آب", "description": "از دیروز", "photo": upload}
    return _form_errors(_login(client, w.people["trustee"]).post(url, data))


def _idea(w: World, client, upload):
    url = reverse("projects:idea_submit", kwargs={"round_id": w.idea_round.pk})
    data = {"neighborhood": w.neighborhood.pk, "title": "ایده با عکس", "description": "شرح", "photo": upload}
    return _form_errors(_login(client, w.people["other_citizen"]).post(url, data))


def _decree(w: World, client, upload):
    """The admin's trusteeship form (the only way a decree scan comes in)."""
    t = w.trusteeship
    data = {
        "board": t.board_id,
        "user": t.user_id,
        "member_name": "",
        "category": t.category,
        "decree_number": t.decree_number,
        "decree_date": t.decree_date,
        "decree_issuer": t.decree_issuer,
        "term_start": t.term_start,
        "term_end": t.term_end,
    }
    form = TrusteeshipForm(data, {"decree_file": upload}, instance=Trusteeship.objects.get(pk=t.pk))
    if not form.is_valid():
        return [str(m) for messages in form.errors.values() for m in messages]
    form.save()
    return []


def _project_image(w: World, client, upload):
    """The admin's project image inline form."""
    form = ProjectImageForm({"caption": "نما", "position": 0}, {"image": upload})
    if not form.is_valid():
        return [str(m) for messages in form.errors.values() for m in messages]
    image = form.save(commit=False)
    image.project = w.project
    image.save()
    return []


def _city_logo(w: World, client, upload):
    """The city admin page's logo, through its form and the service the admin calls."""
    city = w.district.city
    data = {"name": city.name, "slug": city.slug, "display_name": "", "primary_color": "", "accent_color": ""}
    form = CityForm(data, {"logo": upload}, instance=city)
    if not form.is_valid():
        return [str(m) for messages in form.errors.values() for m in messages]
    city_save(actor=w.people["admin"], city=form.save(commit=False))
    return []


def _update_image(w: World, client, upload):
    """An official update with a photo, through the service the admin uses."""
    try:
        project_post_update(project=w.project, actor=w.people["staff"], text="پیشرفت کار", images=[upload])
    except ValidationError as exc:
        return exc.messages
    return []


def _latest(model, field: str):
    def stored(w: World):
        row = model.objects.exclude(**{field: ""}).order_by("-pk").first()
        return getattr(row, field) if row else None

    return stored


FIELDS = [
    UploadField(
        "organisation logo",
        True,
        _logo,
        lambda w: Organization.objects.get(pk=w.organization.pk).logo or None,
    ),
    UploadField(
        "licence scan",
        False,
        _licence,
        lambda w: Organization.objects.get(pk=w.organization.pk).licence_document or None,
    ),
    UploadField("plan attachment", False, _plan, _latest(Plan, "attachment")),
    UploadField("need report photo", True, _need, _latest(NeedReport, "photo")),
    UploadField("idea photo", True, _idea, _latest(Idea, "photo")),
    UploadField(
        "decree scan", False, _decree, lambda w: Trusteeship.objects.get(pk=w.trusteeship.pk).decree_file or None
    ),
    UploadField("project image", True, _project_image, _latest(ProjectImage, "image")),
    UploadField("project update image", True, _update_image, _latest(ProjectUpdateImage, "image")),
    UploadField("city logo", True, _city_logo, lambda w: City.objects.get(pk=w.district.city_id).logo or None),
]


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.PRIVATE_MEDIA_ROOT = str(tmp_path / "private")
    w = build_world()
    # The fixtures' licence scan is a name only; the licence form needs none to accept a new one.
    Organization.objects.filter(pk=w.organization.pk).update(licence_document="", logo="")
    return w


def _upload(name: str, content: bytes, content_type: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=content_type)


@pytest.mark.parametrize("field", FIELDS, ids=lambda f: f.name)
def test_upload_field_sniffs_reencodes_and_limits(world, client, settings, field):
    w = world
    before = field.stored(w)
    before_name = before.name if before else None

    refused = [
        _upload("logo.svg", SVG, "image/svg+xml"),
        _upload("photo.png", SVG, "image/png"),
        _upload("photo.jpg", HTML, "image/jpeg"),
        _upload("scan.pdf", HTML, "application/pdf"),
    ]
    if not field.images_only:
        refused.append(_upload("scan.pdf", PDF_WITH_SCRIPT, "application/pdf"))
    else:
        refused.append(_upload("scan.pdf", factories.PDF_BYTES, "application/pdf"))
    for upload in refused:
        errors = field.submit(w, client, upload)
        assert errors and all(PERSIAN.search(e) for e in errors), (upload.name, errors)
        now = field.stored(w)
        assert (now.name if now else None) == before_name, f"{upload.name} was stored"

    # Over the size limit (a valid image, so only the size is wrong).
    settings.UPLOAD_MAX_BYTES = 4096
    big = noise_png()
    assert len(big) > 4096
    errors = field.submit(w, client, _upload("big.png", big, "image/png"))
    assert errors and any(PERSIAN.search(e) for e in errors), errors
    settings.UPLOAD_MAX_BYTES = 5 * 1024 * 1024

    # An image with metadata and a script appended is accepted as a clean re-encoded copy.
    assert field.submit(w, client, _upload("../../etc/cam.jpeg", jpeg_with_exif(), "image/jpeg")) == []
    stored = field.stored(w)
    assert stored is not None and stored.name != before_name
    assert re.fullmatch(r"[a-z/-]+/[0-9a-f]{32}\.jpg", stored.name), stored.name
    with stored.open("rb") as handle:
        data = handle.read()
    assert TRAILER not in data and b"SecretCam" not in data
    with Image.open(io.BytesIO(data)) as image:
        assert image.format == "JPEG"
        assert not image.getexif()

    if not field.images_only:
        assert field.submit(w, client, _upload("scan.pdf", factories.PDF_BYTES, "application/pdf")) == []
        assert field.stored(w).name.endswith(".pdf")


def test_private_decree_scan_is_served_safely_and_only_to_permitted_staff(world, client):
    w = world
    assert _decree(w, client, _upload("d.pdf", factories.PDF_BYTES, "application/pdf")) == []
    trusteeship = Trusteeship.objects.get(pk=w.trusteeship.pk)
    assert trusteeship.decree_file.url == ""  # no public address at all
    url = reverse("neighborhoods:trusteeship_decree", kwargs={"pk": trusteeship.pk})
    response = _login(client, w.people["staff"]).get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment")
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == factories.PDF_BYTES
    close_quietly(response)
    for other in ("other_staff", "trustee", "citizen"):
        denied = _login(client, w.people[other]).get(url)
        close_quietly(denied)
        assert denied.status_code in (403, 404), other
    client.logout()
    anonymous = client.get(url)
    assert anonymous.status_code == 302 and "/accounts/login/" in anonymous["Location"]


@pytest.mark.parametrize(
    ("field_name", "view"),
    [("licence scan", "ngos:licence_document"), ("plan attachment", "ngos:plan_attachment")],
    ids=["licence", "plan"],
)
def test_private_organisation_files_are_stored_privately_and_served_only_to_permitted_people(
    world, client, settings, field_name, view
):
    """Uploaded through the manager's own form, the file is in private storage only and has no media URL."""
    w = world
    field = next(f for f in FIELDS if f.name == field_name)
    assert field.submit(w, client, _upload("scan.pdf", factories.PDF_BYTES, "application/pdf")) == []
    stored = field.stored(w)
    assert stored.url == ""
    assert not (Path(settings.MEDIA_ROOT) / stored.name).exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / stored.name).read_bytes() == factories.PDF_BYTES
    url = reverse(view, args=[stored.instance.pk])
    for allowed in ("manager", "staff"):
        response = _login(client, w.people[allowed]).get(url)
        assert response.status_code == 200, allowed
        assert response["Content-Type"] == "application/pdf"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert response["Content-Disposition"].startswith("attachment")
        assert "no-store" in response["Cache-Control"]
        assert b"".join(response.streaming_content) == factories.PDF_BYTES
        close_quietly(response)
    for other in ("other_manager", "other_staff", "citizen"):
        denied = _login(client, w.people[other]).get(url)
        close_quietly(denied)
        assert denied.status_code == 404, other
    client.logout()
    assert client.get(url).status_code == 404
