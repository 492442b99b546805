import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image

from core.uploads import DOCUMENT_KINDS, IMAGE_KINDS, UploadPath, validate_upload


def png_bytes(size=(8, 8)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, "teal").save(out, format="PNG")
    return out.getvalue()


def jpeg_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "orange").save(out, format="JPEG")
    return out.getvalue()


PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def test_type_is_judged_by_content_not_name():
    safe = validate_upload(SimpleUploadedFile("licence.pdf", png_bytes(), content_type="application/pdf"))
    assert safe.name.endswith(".png")
    assert safe.content_type == "image/png"
    assert "licence" not in safe.name


def test_pdf_and_jpeg_are_accepted_with_random_names():
    pdf = validate_upload(SimpleUploadedFile("../../etc/passwd.pdf", PDF))
    jpg = validate_upload(SimpleUploadedFile("photo.jpeg", jpeg_bytes()))
    assert pdf.name.endswith(".pdf") and "/" not in pdf.name and "passwd" not in pdf.name
    assert jpg.name.endswith(".jpg")


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("fake.pdf", b"just some text pretending to be a pdf"),
        ("logo.svg", b'<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>'),
        ("page.html", b"<html><script>alert(1)</script></html>"),
        ("image.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40),  # a PNG header over garbage
    ],
)
def test_anything_else_is_refused_with_a_persian_message(name, content):
    with translation.override("fa"), pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile(name, content))
    assert any(ch in error.value.messages[0] for ch in "پتا")


def test_images_only_field_refuses_pdf():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("x.pdf", PDF), kinds=IMAGE_KINDS)
    assert error.value.code == "file_type"


def test_oversized_file_is_refused(settings):
    settings.UPLOAD_MAX_BYTES = 1024
    with translation.override("fa"), pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("big.pdf", PDF + b"0" * 2048), kinds=DOCUMENT_KINDS)
    assert error.value.code == "file_too_large"
    assert "مگابایت" in error.value.messages[0]


def test_pdf_with_javascript_is_refused():
    with pytest.raises(ValidationError) as error:
        validate_upload(SimpleUploadedFile("x.pdf", PDF + b"<< /S /JavaScript /JS (app.alert(1)) >>"))
    assert error.value.code == "file_active_content"


def test_image_is_reencoded_dropping_trailing_payload():
    payload = png_bytes() + b"<script>alert(1)</script>"
    safe = validate_upload(SimpleUploadedFile("x.png", payload))
    assert b"<script>" not in safe.read()


def test_upload_path_keeps_only_the_file_name():
    assert UploadPath("licences")(None, "../../a/b/c.pdf") == "licences/c.pdf"
    assert UploadPath("a") == UploadPath("a") != UploadPath("b")
