"""Every follow becomes a notifications.Subscription: same person, same object, same time.

A follow pointed at exactly one of a project, a neighbourhood or an
organisation (a check constraint made sure); the subscription points at the
same object through its content type. Run backwards, subscriptions of those
three kinds become follows again (district follows had no column to go to).
"""

from django.db import migrations

# The Follow columns, each pointing at one kind of object.
COLUMNS = ("project", "neighborhood", "organization")
BATCH = 2000


def _targets(apps):
    """Follow column → the model it points at, as this point of the history has it (places.Neighborhood)."""
    Follow = apps.get_model("projects", "Follow")
    return {column: Follow._meta.get_field(column).related_model for column in COLUMNS}


def _content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    alias = schema_editor.connection.alias
    return {
        column: ContentType.objects.db_manager(alias).get_or_create(
            app_label=model._meta.app_label, model=model._meta.model_name
        )[0]
        for column, model in _targets(apps).items()
    }


def follows_to_subscriptions(apps, schema_editor):
    Follow = apps.get_model("projects", "Follow")
    Subscription = apps.get_model("notifications", "Subscription")
    alias = schema_editor.connection.alias
    types = _content_types(apps, schema_editor)
    rows = Follow.objects.using(alias).order_by("pk").values_list(
        "user_id", "project_id", "neighborhood_id", "organization_id", "created_at"
    )
    batch = []
    for user_id, project_id, neighborhood_id, organization_id, created_at in rows.iterator(chunk_size=BATCH):
        for column, target_id in (
            ("project", project_id),
            ("neighborhood", neighborhood_id),
            ("organization", organization_id),
        ):
            if target_id is not None:
                batch.append(
                    Subscription(
                        user_id=user_id, target_type=types[column], target_id=target_id, created_at=created_at
                    )
                )
        if len(batch) >= BATCH:
            Subscription.objects.using(alias).bulk_create(batch, ignore_conflicts=True)
            batch = []
    Subscription.objects.using(alias).bulk_create(batch, ignore_conflicts=True)


def subscriptions_to_follows(apps, schema_editor):
    Follow = apps.get_model("projects", "Follow")
    Subscription = apps.get_model("notifications", "Subscription")
    alias = schema_editor.connection.alias
    targets = _targets(apps)
    for column, content_type in _content_types(apps, schema_editor).items():
        existing = targets[column].objects.using(alias).values("pk")
        rows = (
            Subscription.objects.using(alias)
            .filter(target_type=content_type, target_id__in=existing)
            .order_by("pk")
            .values_list("user_id", "target_id", "created_at")
        )
        batch = []
        for user_id, target_id, created_at in rows.iterator(chunk_size=BATCH):
            batch.append(Follow(user_id=user_id, created_at=created_at, **{f"{column}_id": target_id}))
            if len(batch) >= BATCH:
                Follow.objects.using(alias).bulk_create(batch, ignore_conflicts=True)
                batch = []
        Follow.objects.using(alias).bulk_create(batch, ignore_conflicts=True)


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('ngos', '0004_geography_in_places'),
        ('notifications', '0002_subscription'),
        ('places', '0001_initial'),
        ('projects', '0004_geography_in_places'),
    ]

    operations = [
        migrations.RunPython(follows_to_subscriptions, subscriptions_to_follows),
    ]
