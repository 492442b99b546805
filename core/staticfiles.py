"""Hashed, compressed static files for production (``collectstatic``), served by WhiteNoise."""

from __future__ import annotations

from whitenoise.storage import CompressedManifestStaticFilesStorage


class ManifestStaticStorage(CompressedManifestStaticFilesStorage):
    """WhiteNoise's manifest storage, tolerant of vendored CSS that names files its package never shipped.

    django-jalali's jQuery UI theme (``jquery-ui.min.css``) refers to images
    that are not in the package, which makes ``collectstatic`` fail. Such a
    reference under one of ``TOLERATED_MISSING`` is left unhashed (the browser
    gets a 404 for a decoration); a missing file anywhere else still fails.
    """

    TOLERATED_MISSING = ("admin/jquery.ui.datepicker.jalali/",)

    def hashed_name(self, name: str, content=None, filename: str | None = None) -> str:
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            if content is None and name.startswith(self.TOLERATED_MISSING) and not self.exists(name):
                return name
            raise
