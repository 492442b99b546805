"""The one word list of the installation becomes a copy per city, and back again."""

from __future__ import annotations

import pytest

from tests.migrating import latest_migrations_afterwards, migrate_to  # noqa: F401 - the fixture

BEFORE = [("projects", "0013_admin_field_labels"), ("places", "0003_city_settings_announcement_sms_threshold")]
AFTER = [("projects", "0014_flagged_words_per_city"), ("places", "0004_city_branding_and_default_words")]


pytestmark = pytest.mark.usefixtures("latest_migrations_afterwards")


@pytest.mark.django_db(transaction=True)
def test_every_city_gets_the_words_and_going_back_keeps_one_of_each():
    old = migrate_to(BEFORE)
    City = old.get_model("places", "City")  # noqa: N806 - historical models
    tehran = City.objects.create(name="تهران", name_normalized="تهران", slug="tehran-words")
    kashan = City.objects.create(name="کاشان", name_normalized="کاشان", slug="kashan-words")
    FlaggedWord = old.get_model("projects", "FlaggedWord")  # noqa: N806
    for word in ("رانتخوار", "زمینخوار"):
        FlaggedWord.objects.create(word=word, word_normalized=word)

    new = migrate_to(AFTER)
    rows = set(new.get_model("projects", "FlaggedWord").objects.values_list("city_id", "word_normalized"))
    assert rows == {(c.pk, w) for c in (tehran, kashan) for w in ("رانتخوار", "زمینخوار")}

    back = migrate_to(BEFORE)
    words = sorted(back.get_model("projects", "FlaggedWord").objects.values_list("word_normalized", flat=True))
    assert words == ["رانتخوار", "زمینخوار"]
