# The geography models and CityParticipationSettings moved to ``places`` with their tables:
# only Django's state changes here.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('places', '0001_initial'),
        ('projects', '0003_list_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='budgetinground',
                    name='district',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budgeting_rounds', to='places.district', verbose_name='district'),
                ),
                migrations.AlterField(
                    model_name='follow',
                    name='neighborhood',
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name='follows', to='places.neighborhood', verbose_name='neighbourhood'),
                ),
                migrations.AlterField(
                    model_name='idea',
                    name='neighborhood',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='ideas', to='places.neighborhood', verbose_name='neighbourhood'),
                ),
                migrations.AlterField(
                    model_name='idearound',
                    name='city',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='idea_rounds', to='places.city', verbose_name='city'),
                ),
                migrations.AlterField(
                    model_name='project',
                    name='district',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='projects', to='places.district', verbose_name='district'),
                ),
                migrations.AlterField(
                    model_name='project',
                    name='neighborhoods',
                    field=models.ManyToManyField(blank=True, related_name='projects', to='places.neighborhood', verbose_name='neighbourhoods'),
                ),
                migrations.DeleteModel(
                    name='CityParticipationSettings',
                ),
            ],
            database_operations=[],
        ),
    ]
