"""The geography models and the per-city settings move here from ``neighborhoods`` and ``projects``.

Nothing moves in the database: the models keep their tables, indexes and
constraints (``Meta.db_table``), so this migration only tells Django's state
that they now belong to ``places``. The other apps' migrations then point
their foreign keys here and drop the old models from their state.

The content types are renamed (same rows, same ids), so permissions given to
staff and audit entries about these records keep pointing at them.
"""

import django.core.validators
import django.db.models.deletion
from django.db import migrations, models

MOVED = [
    ("neighborhoods", "city"),
    ("neighborhoods", "district"),
    ("neighborhoods", "area"),
    ("neighborhoods", "neighborhood"),
    ("projects", "cityparticipationsettings"),
]


def _merge(apps, db: str, stale, kept) -> None:
    """Point whatever refers to content type ``stale`` at ``kept``, then delete ``stale``.

    Only needed when both labels already have a row, e.g. when the new code
    logged an admin change before this migration ran.
    """
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    twins = {p.codename: p for p in Permission.objects.using(db).filter(content_type=kept)}
    for permission in Permission.objects.using(db).filter(content_type=stale):
        twin = twins.get(permission.codename)
        if twin is None:
            permission.content_type = kept
            permission.save(update_fields=["content_type"])
            continue
        for relation in Permission._meta.related_objects:
            if relation.many_to_many:  # users and groups holding the permission
                accessor = relation.get_accessor_name()
                getattr(twin, accessor).add(*getattr(permission, accessor).all())
        permission.delete()
    # Every other foreign key to a content type (admin log, audit trail, notifications), hidden ones included.
    for relation in ContentType._meta.get_fields(include_hidden=True):
        if relation.auto_created and relation.one_to_many and relation.related_model is not Permission:
            field = relation.field.name
            relation.related_model._base_manager.using(db).filter(**{field: stale}).update(**{field: kept})
    stale.delete()


def _relabel(apps, schema_editor, *, forwards: bool) -> None:
    ContentType = apps.get_model("contenttypes", "ContentType")
    db = schema_editor.connection.alias
    for old_label, model in MOVED:
        source, target = (old_label, "places") if forwards else ("places", old_label)
        moving = ContentType.objects.using(db).filter(app_label=source, model=model).first()
        if moving is None:
            continue  # a new database: post_migrate creates the rows under the new label
        existing = ContentType.objects.using(db).filter(app_label=target, model=model).first()
        if existing is not None:
            _merge(apps, db, existing, moving)
        moving.app_label = target
        moving.save(update_fields=["app_label"])


def relabel_forwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forwards=True)


def relabel_backwards(apps, schema_editor) -> None:
    _relabel(apps, schema_editor, forwards=False)


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('neighborhoods', '0003_search_trigram'),
        ('projects', '0003_list_indexes'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='City',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('name_normalized', models.CharField(db_index=True, editable=False, max_length=120)),
                        ('slug', models.SlugField(max_length=60, unique=True, verbose_name='slug')),
                    ],
                    options={
                        'verbose_name': 'city',
                        'verbose_name_plural': 'cities',
                        'db_table': 'neighborhoods_city',
                        'ordering': ['name'],
                        'constraints': [models.UniqueConstraint(fields=('name_normalized',), name='city_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='District',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('name_normalized', models.CharField(db_index=True, editable=False, max_length=120)),
                        ('number', models.PositiveSmallIntegerField(verbose_name='number')),
                        ('city', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='districts', to='places.city', verbose_name='city')),
                    ],
                    options={
                        'verbose_name': 'district',
                        'verbose_name_plural': 'districts',
                        'db_table': 'neighborhoods_district',
                        'ordering': ['city_id', 'number'],
                        'constraints': [
                            models.UniqueConstraint(fields=('city', 'number'), name='district_unique_number'),
                            models.UniqueConstraint(fields=('city', 'name_normalized'), name='district_unique_name'),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name='Area',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('name_normalized', models.CharField(db_index=True, editable=False, max_length=120)),
                        ('district', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='areas', to='places.district', verbose_name='district')),
                    ],
                    options={
                        'verbose_name': 'area',
                        'verbose_name_plural': 'areas',
                        'db_table': 'neighborhoods_area',
                        'ordering': ['district_id', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('district', 'name_normalized'), name='area_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='Neighborhood',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('name', models.CharField(max_length=120, verbose_name='name')),
                        ('name_normalized', models.CharField(db_index=True, editable=False, max_length=120)),
                        ('latitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='latitude')),
                        ('longitude', models.DecimalField(blank=True, decimal_places=6, max_digits=9, null=True, verbose_name='longitude')),
                        ('area', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='neighborhoods', to='places.area', verbose_name='area')),
                        ('district', models.ForeignKey(editable=False, on_delete=django.db.models.deletion.PROTECT, related_name='neighborhoods', to='places.district', verbose_name='district')),
                    ],
                    options={
                        'verbose_name': 'neighbourhood',
                        'verbose_name_plural': 'neighbourhoods',
                        'db_table': 'neighborhoods_neighborhood',
                        'ordering': ['district_id', 'name'],
                        'constraints': [models.UniqueConstraint(fields=('district', 'name_normalized'), name='neighborhood_unique_name')],
                    },
                ),
                migrations.CreateModel(
                    name='CityParticipationSettings',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('moderation_policy', models.CharField(choices=[('pre', 'Pre-moderation: comments appear once approved'), ('post', 'Post-moderation: comments appear at once and may be removed')], default='pre', max_length=4, verbose_name='moderation policy')),
                        ('flags_to_hide', models.PositiveSmallIntegerField(default=3, help_text='A published comment with this many open flags is hidden until staff decide.', validators=[django.core.validators.MinValueValidator(1)], verbose_name='flags to hide a comment')),
                        ('support_residents_only', models.BooleanField(default=False, help_text="Citizens whose home neighbourhood is outside a project's district cannot support it.", verbose_name='only district residents may support')),
                        ('city', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='participation_settings', to='places.city', verbose_name='city')),
                    ],
                    options={
                        'verbose_name': 'city participation settings',
                        'verbose_name_plural': 'city participation settings',
                        'db_table': 'projects_cityparticipationsettings',
                        'constraints': [models.CheckConstraint(condition=models.Q(('flags_to_hide__gte', 1)), name='city_settings_flags_min_1')],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel_forwards, relabel_backwards, elidable=False),
    ]
