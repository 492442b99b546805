"""Each city keeps its own flagged-word list.

The words staff had added served every city, so each city gets its own copy
of them (an installation with no city yet has no comments to hold, and its
words go). Going back keeps one row per word and forgets the city.
"""

import django.db.models.deletion
from django.db import migrations, models


def copy_words_to_every_city(apps, schema_editor):
    City = apps.get_model("places", "City")
    FlaggedWord = apps.get_model("projects", "FlaggedWord")
    shared = list(FlaggedWord.objects.filter(city__isnull=True))
    cities = list(City.objects.order_by("id").values_list("id", flat=True))
    if not shared:
        return
    if not cities:
        FlaggedWord.objects.filter(pk__in=[w.pk for w in shared]).delete()
        return
    first, others = cities[0], cities[1:]
    FlaggedWord.objects.filter(pk__in=[w.pk for w in shared]).update(city_id=first)
    FlaggedWord.objects.bulk_create(
        FlaggedWord(city_id=city_id, word=w.word, word_normalized=w.word_normalized)
        for city_id in others
        for w in shared
    )


def merge_words_into_one_list(apps, schema_editor):
    FlaggedWord = apps.get_model("projects", "FlaggedWord")
    seen: set[str] = set()
    duplicates = []
    for word in FlaggedWord.objects.order_by("id"):
        if word.word_normalized in seen:
            duplicates.append(word.pk)
        seen.add(word.word_normalized)
    FlaggedWord.objects.filter(pk__in=duplicates).delete()
    FlaggedWord.objects.update(city=None)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0004_city_branding_and_default_words"),
        ("projects", "0013_admin_field_labels"),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="flaggedword",
            options={
                "ordering": ["city_id", "word_normalized"],
                "verbose_name": "flagged word",
                "verbose_name_plural": "flagged words",
            },
        ),
        migrations.AddField(
            model_name="flaggedword",
            name="city",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.CASCADE,
                related_name="flagged_words",
                to="places.city",
                verbose_name="city",
            ),
        ),
        migrations.AlterField(
            model_name="flaggedword",
            name="word_normalized",
            field=models.CharField(editable=False, max_length=100),
        ),
        migrations.RunPython(copy_words_to_every_city, merge_words_into_one_list),
        migrations.AlterField(
            model_name="flaggedword",
            name="city",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="flagged_words",
                to="places.city",
                verbose_name="city",
            ),
        ),
        migrations.AddConstraint(
            model_name="flaggedword",
            constraint=models.UniqueConstraint(fields=("city", "word_normalized"), name="flaggedword_unique_per_city"),
        ),
    ]
