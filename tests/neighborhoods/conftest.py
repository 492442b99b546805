from __future__ import annotations

import io

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
