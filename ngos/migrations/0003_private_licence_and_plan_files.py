"""Licence scans and plan attachments move from public media to private storage.

The fields now use ``core.private_files.private_storage`` (the private
folder, or the private S3 area when ``S3_BUCKET`` is set), and every file
already uploaded is moved there under the same name, so the records keep
pointing at it and its old public URL stops working. Running it again moves
nothing twice: a file already in private storage is left as it is.
"""

from __future__ import annotations

from django.core.files.storage import default_storage
from django.db import migrations, models

import core.uploads
import core.private_files

# (model, field) pairs whose files live in private storage from now on.
PRIVATE_FILES = (("Organization", "licence_document"), ("Plan", "attachment"))


def move_files(apps, source, target) -> int:
    """Move every stored file of ``PRIVATE_FILES`` from ``source`` to ``target`` storage, keeping its name.

    A name already in ``target`` is not copied again (an earlier, interrupted
    run); its leftover copy in ``source`` is removed. Returns how many files
    were copied.
    """
    moved = 0
    for model_name, field_name in PRIVATE_FILES:
        model = apps.get_model("ngos", model_name)
        names = (
            model.objects.exclude(**{field_name: ""})
            .exclude(**{f"{field_name}__isnull": True})
            .values_list(field_name, flat=True)
            .distinct()
        )
        for name in names.iterator():
            if not source.exists(name):
                continue
            if not target.exists(name):
                with source.open(name, "rb") as handle:
                    saved = target.save(name, handle)
                if saved != name:  # never expected: the name was free a moment ago
                    model.objects.filter(**{field_name: name}).update(**{field_name: saved})
                moved += 1
            source.delete(name)
    return moved


def to_private(apps, schema_editor) -> None:
    move_files(apps, default_storage, core.private_files.private_storage())


def to_public(apps, schema_editor) -> None:
    move_files(apps, core.private_files.private_storage(), default_storage)


class Migration(migrations.Migration):
    dependencies = [
        ("ngos", "0002_directory_indexes"),
    ]

    operations = [
        migrations.AlterField(
            model_name="organization",
            name="licence_document",
            field=models.FileField(
                blank=True,
                help_text="PDF, JPEG or PNG.",
                storage=core.private_files.private_storage,
                upload_to=core.uploads.UploadPath("ngos/licences"),
                verbose_name="licence scan",
            ),
        ),
        migrations.AlterField(
            model_name="plan",
            name="attachment",
            field=models.FileField(
                blank=True,
                help_text="PDF, JPEG or PNG.",
                storage=core.private_files.private_storage,
                upload_to=core.uploads.UploadPath("ngos/plans"),
                verbose_name="attachment",
            ),
        ),
        migrations.RunPython(to_private, to_public, elidable=False),
    ]
