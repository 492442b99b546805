"""Where appointment decrees are kept: outside the public media folder.

A decree scan carries a person's details, so it has no public URL at all; the
only way to read one is the permission-checked view
``neighborhoods:trusteeship_decree``. Organisations' licence scans and plan
attachments are kept the same way (read through ``ngos.views.files``).
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


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
    """Where decrees live: ``STORAGES["private"]`` when configured (S3), else the private folder."""
    if "private" in settings.STORAGES:
        return storages["private"]
    return _storage
