# The geography models moved to ``places`` with their tables: only Django's state changes here.
# They leave this app's state last, once every app points its foreign keys at ``places``.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_geography_in_places'),
        ('neighborhoods', '0003_search_trigram'),
        ('ngos', '0004_geography_in_places'),
        ('places', '0001_initial'),
        ('projects', '0004_geography_in_places'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='trusteeboard',
                    name='neighborhood',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='board', to='places.neighborhood', verbose_name='neighbourhood'),
                ),
                migrations.AlterField(
                    model_name='neighborhoodhouse',
                    name='neighborhood',
                    field=models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='house', to='places.neighborhood', verbose_name='neighbourhood'),
                ),
                migrations.AlterField(
                    model_name='needreport',
                    name='neighborhood',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='need_reports', to='places.neighborhood', verbose_name='neighbourhood'),
                ),
                migrations.DeleteModel(
                    name='Neighborhood',
                ),
                migrations.DeleteModel(
                    name='Area',
                ),
                migrations.DeleteModel(
                    name='District',
                ),
                migrations.DeleteModel(
                    name='City',
                ),
            ],
            database_operations=[],
        ),
    ]
