# The geography models moved to ``places`` with their tables: only Django's state changes here.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('ngos', '0003_private_licence_and_plan_files'),
        ('places', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='meeting',
                    name='city',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='places.city', verbose_name='city'),
                ),
                migrations.AlterField(
                    model_name='meeting',
                    name='district',
                    field=models.ForeignKey(blank=True, help_text='Leave empty for a city-wide meeting.', null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ngo_meetings', to='places.district', verbose_name='district'),
                ),
                migrations.AlterField(
                    model_name='opportunity',
                    name='district',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='ngo_opportunities', to='places.district', verbose_name='district'),
                ),
                migrations.AlterField(
                    model_name='organization',
                    name='city',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='organizations', to='places.city', verbose_name='city'),
                ),
                migrations.AlterField(
                    model_name='organization',
                    name='districts',
                    field=models.ManyToManyField(blank=True, related_name='organizations', to='places.district', verbose_name='districts served'),
                ),
                migrations.AlterField(
                    model_name='organization',
                    name='neighborhoods',
                    field=models.ManyToManyField(blank=True, related_name='organizations', to='places.neighborhood', verbose_name='neighbourhoods served'),
                ),
                migrations.AlterField(
                    model_name='plan',
                    name='target_neighborhoods',
                    field=models.ManyToManyField(related_name='ngo_plans', to='places.neighborhood', verbose_name='target neighbourhoods'),
                ),
                migrations.AlterField(
                    model_name='volunteerprofile',
                    name='districts',
                    field=models.ManyToManyField(related_name='volunteers', to='places.district', verbose_name='districts you can help in'),
                ),
            ],
            database_operations=[],
        ),
    ]
