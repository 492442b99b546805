from __future__ import annotations

import io
from html.parser import HTMLParser

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tests import factories


@pytest.fixture(autouse=True)
def _private_files(settings, tmp_path):
    """Uploads and decree scans go to a temporary folder, never into var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """These tests sign people in with force_login; a slow hasher only costs time."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def board(neighborhood):
    return factories.TrusteeBoardFactory(neighborhood=neighborhood)


@pytest.fixture
def trusteeship(board):
    """An active seat on ``board`` held by a user: that user may file needs for it."""
    return factories.trustee_of(board)


@pytest.fixture
def trustee(trusteeship):
    return trusteeship.user


@pytest.fixture
def other_board(district):
    """Another neighbourhood's board in the same district."""
    place = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district))
    return factories.TrusteeBoardFactory(neighborhood=place)


@pytest.fixture
def other_trustee(other_board):
    return factories.trustee_of(other_board).user


@pytest.fixture
def report(neighborhood, trustee):
    from neighborhoods.services import need_report_file

    return need_report_file(
        reporter=trustee, neighborhood=neighborhood, category="water", title="قطعی آب", description="<b>سه روز</b>"
    )


def png_upload(name: str = "photo.png") -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (12, 12), "teal").save(out, format="PNG")
    return SimpleUploadedFile(name, out.getvalue(), content_type="image/png")


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


class _FormValues(HTMLParser):
    """Collects what a browser would submit from the admin's change form (``id="<model>_form"``)."""

    def __init__(self):
        super().__init__()
        self.data: dict[str, list[str]] = {}
        self._select: str | None = None
        self._textarea: str | None = None
        self._in_form = False
        self._done = False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and (a.get("id") or "").endswith("_form") and not self._done:
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name:
            kind = (a.get("type") or "text").lower()
            if kind in {"submit", "button", "file", "image", "reset"}:
                return
            if kind in {"checkbox", "radio"} and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if kind == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
            self.data.setdefault(name, [])
        elif tag == "option" and self._select and "selected" in a:
            self.data[self._select].append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][0] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None
        elif tag == "form" and self._in_form:
            self._in_form = False
            self._done = True


def admin_form_data(client, url: str) -> dict:
    """The values an admin form at ``url`` would post unchanged (management forms included)."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    parser = _FormValues()
    parser.feed(response.content.decode())
    data = {}
    for key, values in parser.data.items():
        if key == "csrfmiddlewaretoken":
            continue
        data[key] = values if len(values) > 1 else (values[0] if values else "")
    return data
