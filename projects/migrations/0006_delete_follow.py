from django.db import migrations


class Migration(migrations.Migration):
    """Follows now live in notifications.Subscription (copied by 0005)."""

    dependencies = [
        ('projects', '0005_follows_to_subscriptions'),
    ]

    operations = [
        migrations.DeleteModel(
            name='Follow',
        ),
    ]
