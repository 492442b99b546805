# The geography models moved to ``places`` with their tables: only Django's state changes here.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
        ('places', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='user',
                    name='home_neighborhood',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='residents', to='places.neighborhood', verbose_name='home neighbourhood'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='staff_city',
                    field=models.ForeignKey(blank=True, help_text="City admins act on this city's records; empty means every city.", null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='admins', to='places.city', verbose_name='city administered'),
                ),
                migrations.AlterField(
                    model_name='user',
                    name='staff_districts',
                    field=models.ManyToManyField(blank=True, help_text="District staff see and change only these districts' records.", related_name='staff', to='places.district', verbose_name='districts served'),
                ),
            ],
            database_operations=[],
        ),
    ]
