import django.core.validators
from django.db import migrations, models

import core.uploads

HEX = django.core.validators.RegexValidator(
    "^#[0-9a-fA-F]{6}$", "Enter a colour as # followed by six hexadecimal digits.", "hex_color"
)


class Migration(migrations.Migration):
    dependencies = [
        ("places", "0003_city_settings_announcement_sms_threshold"),
    ]

    operations = [
        migrations.AddField(
            model_name="city",
            name="display_name",
            field=models.CharField(
                blank=True,
                default="",
                db_default="",
                help_text="Shown to citizens when it differs from the name, e.g. «شهرداری کاشان».",
                max_length=120,
                verbose_name="public name",
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="logo",
            field=models.ImageField(
                blank=True,
                default="",
                db_default="",
                help_text="JPEG or PNG.",
                upload_to=core.uploads.UploadPath("cities"),
                verbose_name="logo",
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="primary_color",
            field=models.CharField(
                blank=True,
                default="",
                db_default="",
                help_text="A colour code: # and six hexadecimal digits.",
                max_length=7,
                validators=[HEX],
                verbose_name="primary colour",
            ),
        ),
        migrations.AddField(
            model_name="city",
            name="accent_color",
            field=models.CharField(
                blank=True,
                default="",
                db_default="",
                help_text="A colour code: # and six hexadecimal digits.",
                max_length=7,
                validators=[HEX],
                verbose_name="accent colour",
            ),
        ),
        migrations.AddField(
            model_name="cityparticipationsettings",
            name="use_default_flagged_words",
            field=models.BooleanField(
                default=True,
                help_text="Off: only this city's own flagged words hold a comment for review.",
                verbose_name="also hold comments with the built-in insult list",
            ),
        ),
    ]
