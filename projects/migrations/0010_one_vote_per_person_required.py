import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("projects", "0009_one_vote_per_person"),
    ]

    operations = [
        migrations.AlterField(
            model_name="ballot",
            name="voter_key",
            field=models.CharField(editable=False, max_length=64, verbose_name="voter key"),
        ),
        migrations.AlterField(
            model_name="support",
            name="voter_key",
            field=models.CharField(editable=False, max_length=64, verbose_name="voter key"),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="district",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="places.district",
                verbose_name="cast as resident of",
            ),
        ),
        migrations.AlterField(
            model_name="ballot",
            name="cycle",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.CASCADE,
                related_name="ballots",
                to="projects.budgetingcycle",
                verbose_name="budgeting cycle",
            ),
        ),
        migrations.AlterField(
            model_name="budgetinground",
            name="cycle",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="rounds",
                to="projects.budgetingcycle",
                verbose_name="budgeting cycle",
            ),
        ),
        migrations.AddConstraint(
            model_name="support",
            constraint=models.UniqueConstraint(fields=("project", "voter_key"), name="support_one_per_person"),
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(fields=("cycle", "voter"), name="ballot_one_per_voter_per_cycle"),
        ),
        migrations.AddConstraint(
            model_name="ballot",
            constraint=models.UniqueConstraint(fields=("cycle", "voter_key"), name="ballot_one_per_person_per_cycle"),
        ),
    ]
