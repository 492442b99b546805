"""One upload of a projects file: its fingerprint, who sent it, and how it went."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.private_files import private_storage


class ImportStatus(models.TextChoices):
    QUEUED = "queued", _("Queued")
    RUNNING = "running", _("Running")
    DONE = "done", _("Imported")
    FAILED = "failed", _("Not imported")


class ImportJob(models.Model):
    """Large files are imported by a task on the ``imports`` queue; every import is kept so a repeat is recognised."""

    city = models.ForeignKey("places.City", on_delete=models.CASCADE, related_name="+", verbose_name=_("city"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("imported by"),
    )
    filename = models.CharField(_("file name"), max_length=200)
    # Kept until the task has read it; staff only, no public URL.
    file = models.FileField(_("file"), upload_to="imports/%Y/%m/", storage=private_storage, blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    # Written by the task every ``PROJECT_IMPORT_PROGRESS_ROWS`` rows, so staff can watch a long import.
    processed_rows = models.PositiveIntegerField(_("rows read"), default=0)
    created_count = models.PositiveIntegerField(_("projects created"), default=0)
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One live import per file and city, even for two uploads at the same moment; a failed one may be retried.
            models.UniqueConstraint(
                fields=["city", "sha256"],
                condition=~models.Q(status=ImportStatus.FAILED),
                name="projects_importjob_one_live_per_file",
            ),
        ]
        verbose_name = _("project import")
        verbose_name_plural = _("project imports")

    def __str__(self) -> str:
        return self.filename

    @property
    def finished(self) -> bool:
        return self.status in (ImportStatus.DONE, ImportStatus.FAILED)

    @property
    def progress_percent(self) -> int:
        if not self.total_rows:
            return 100 if self.finished else 0
        return min(100, self.processed_rows * 100 // self.total_rows)
