from django.db import migrations


class Migration(migrations.Migration):
    """The audit trail now belongs to the kernel app ``core``; its table stays where it is."""

    dependencies = [
        ("civic_portal", "0001_initial"),
        ("core", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[migrations.DeleteModel(name="AuditEntry")]),
    ]
