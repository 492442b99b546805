"""Serving a file from private storage through a view that has already checked permission.

Private files (decree scans, licence scans, plan attachments) have no URL of
their own; a view decides who may read one and hands it back with this
response: always an attachment, typed by its first bytes rather than its
name, never cached by a shared cache and never sniffed by the browser.
"""

from __future__ import annotations

from pathlib import PurePath

from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _

from core.uploads import content_type_of


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
