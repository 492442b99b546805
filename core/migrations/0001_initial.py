import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def rename_content_type(apps, schema_editor):
    """Point the audit trail's content type (and so its permissions) at its new app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    if not ContentType.objects.using(db).filter(app_label="core", model="auditentry").exists():
        ContentType.objects.using(db).filter(app_label="civic_portal", model="auditentry").update(app_label="core")


def restore_content_type(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    ContentType.objects.using(db).filter(app_label="core", model="auditentry").update(app_label="civic_portal")


class Migration(migrations.Migration):
    """The audit trail moves from civic_portal to the kernel: same table, state only."""

    initial = True

    dependencies = [
        ("civic_portal", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AuditEntry",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="time")),
                        ("action", models.CharField(db_index=True, max_length=64, verbose_name="action")),
                        ("target_id", models.PositiveBigIntegerField()),
                        ("target_repr", models.CharField(max_length=200, verbose_name="record")),
                        ("note", models.TextField(blank=True, verbose_name="note")),
                        ("changes", models.JSONField(blank=True, default=dict, verbose_name="changes")),
                        (
                            "actor",
                            models.ForeignKey(
                                blank=True,
                                null=True,
                                on_delete=django.db.models.deletion.SET_NULL,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                                verbose_name="actor",
                            ),
                        ),
                        (
                            "target_type",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.CASCADE,
                                related_name="+",
                                to="contenttypes.contenttype",
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "audit entry",
                        "verbose_name_plural": "audit trail",
                        "db_table": "civic_portal_auditentry",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [
                            models.Index(
                                fields=["target_type", "target_id", "created_at"], name="civic_porta_target__886887_idx"
                            )
                        ],
                    },
                ),
            ],
        ),
        migrations.RunPython(rename_content_type, restore_content_type),
    ]
