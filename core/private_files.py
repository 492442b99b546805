"""Private files: where they are kept, and serving one through a view that has already checked permission.

Private files (decree scans, licence scans, plan attachments) carry people's
details, so they are kept outside the public media folder and have no URL of
their own; a view decides who may read one and hands it back with
``private_file_response``: always an attachment, typed by its first bytes
rather than its name, never cached by a shared cache and never sniffed by
the browser.
"""

from __future__ import annotations

from pathlib import Path, PurePath

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.uploads import content_type_of


class PrivateStorage(FileSystemStorage):
    """Files under ``PRIVATE_MEDIA_ROOT`` (default ``VAR_DIR/private``), never served directly."""

    @property
    def base_location(self) -> str:  # read on every use, so tests can point it elsewhere
        return str(getattr(settings, "PRIVATE_MEDIA_ROOT", None) or Path(settings.VAR_DIR) / "private")

    @property
    def location(self) -> str:
        return str(Path(self.base_location).resolve())

    def url(self, name: str | None) -> str:
        # No direct URL: an empty one makes forms show no download link for it.
        return ""


_storage = PrivateStorage()


def private_storage() -> Storage:
    """Where private files live: ``STORAGES["private"]`` when configured (S3), else the private folder."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return _storage


def private_file_response(field_file: FieldFile, filename_stem: str) -> FileResponse:
    """``field_file`` as a download named ``filename_stem`` plus its extension; 404 when there is none."""
    if not field_file:
        raise Http404
    try:
        handle = field_file.open("rb")
    except FileNotFoundError as exc:  # the record names a file storage does not hold
        raise Http404 from exc
    head = handle.read(16)
    handle.seek(0)
    suffix = PurePath(field_file.name).suffix
    response = FileResponse(
        handle, as_attachment=True, filename=f"{filename_stem}{suffix}", content_type=content_type_of(head)
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def private_file_link(field_file: FieldFile, view_name: str, *args) -> str:
    """An admin "Download" link to the permission-checked view, or a dash when no file is stored."""
    if not field_file:
        return "—"
    return format_html('<a href="{}">{}</a>', reverse(view_name, args=args), _("Download"))
