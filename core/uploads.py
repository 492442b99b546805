"""Upload checks shared by every form and serializer that takes a file.

The type is decided by the file's first bytes, never by its name or the
browser's claim; images are decoded and re-encoded so anything hidden after
the pixels is dropped; SVG and everything else is refused.
"""

from __future__ import annotations

import io
import uuid
from collections.abc import Iterable
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError

PDF, JPEG, PNG = "pdf", "jpeg", "png"
DOCUMENT_KINDS = frozenset({PDF, JPEG, PNG})
IMAGE_KINDS = frozenset({JPEG, PNG})
_EXTENSIONS = {PDF: "pdf", JPEG: "jpg", PNG: "png"}
_CONTENT_TYPES = {PDF: "application/pdf", JPEG: "image/jpeg", PNG: "image/png"}
MAX_IMAGE_PIXELS = 40_000_000


def sniff(head: bytes) -> str | None:
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def content_type_of(head: bytes) -> str:
    """The content type a stored file's first bytes show, for serving it; unknown bytes are plain binary."""
    return _CONTENT_TYPES.get(sniff(head) or "", "application/octet-stream")


def _names(kinds: Iterable[str]) -> str:
    return "، ".join(sorted(k.upper() for k in kinds))


def validate_upload(upload, kinds: Iterable[str] = DOCUMENT_KINDS, max_bytes: int | None = None):
    """Return a safe copy of ``upload`` or raise ValidationError with a clear message.

    The returned file has a random name with the right extension, so a name
    chosen by the uploader never reaches the disk or a URL.
    """
    kinds = frozenset(kinds)
    limit = max_bytes or settings.UPLOAD_MAX_BYTES
    if upload.size is not None and upload.size > limit:
        raise ValidationError(
            _("The file is too large: the limit is %(limit)s MB.") % {"limit": round(limit / 1024 / 1024, 1)},
            code="file_too_large",
        )
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large: the limit is %(limit)s MB.") % {"limit": round(limit / 1024 / 1024, 1)},
            code="file_too_large",
        )
    kind = sniff(data[:16])
    if kind not in kinds:
        raise ValidationError(
            _("This type of file is not accepted. Upload one of: %(kinds)s.") % {"kinds": _names(kinds)},
            code="file_type",
        )
    if kind in IMAGE_KINDS:
        data = _reencode(data, kind)
    elif b"/JavaScript" in data or b"/JS " in data or b"/Launch" in data:
        raise ValidationError(_("PDF files with scripts are not accepted."), code="file_active_content")
    name = f"{uuid.uuid4().hex}.{_EXTENSIONS[kind]}"
    return SimpleUploadedFile(name, data, content_type=_CONTENT_TYPES[kind])


def _reencode(data: bytes, kind: str) -> bytes:
    Image.MAX_IMAGE_PIXELS = MAX_IMAGE_PIXELS
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            out = io.BytesIO()
            if kind == JPEG:
                image.convert("RGB").save(out, format="JPEG", quality=88, optimize=True)
            else:
                image.save(out, format="PNG", optimize=True)
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("The image could not be read. It may be damaged."), code="file_corrupt") from exc
    return out.getvalue()


@deconstructible
class UploadPath:
    """``upload_to`` that stores files under ``prefix/`` with their (random) name."""

    def __init__(self, prefix: str):
        self.prefix = prefix

    def __call__(self, instance, filename: str) -> str:
        return f"{self.prefix}/{PurePath(filename).name}"

    def __eq__(self, other) -> bool:
        return isinstance(other, UploadPath) and other.prefix == self.prefix

    def __hash__(self) -> int:
        return hash(self.prefix)
