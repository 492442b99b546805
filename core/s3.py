"""S3-compatible storage for files that must never have a public URL (decree, licence scans, plan attachments).

Imported only when ``S3_BUCKET`` is set, so web nodes without S3 never load boto3.
"""

from __future__ import annotations

from storages.backends.s3 import S3Storage


class PrivateS3Storage(S3Storage):
    """Like ``core.private_files.PrivateStorage``: no URL; files are read through a permission-checked view."""

    def url(self, name: str | None, parameters=None, expire=None, http_method=None) -> str:
        return ""
