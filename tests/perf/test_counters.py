"""The denormalised counters stay exact when an account and its rows go by cascade."""

from __future__ import annotations

import pytest

from places.models import ModerationPolicy
from projects.models import Project
from projects.services import comment_post, support_cast
from tests import factories

pytestmark = pytest.mark.django_db


def test_deleting_an_account_recounts_the_projects_it_touched(settings, district, citizen):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    factories.CityParticipationSettingsFactory(city=district.city, moderation_policy=ModerationPolicy.POST)
    project = factories.ProjectFactory(district=district)
    other = factories.UserFactory(home_neighborhood=citizen.home_neighborhood)
    support_cast(project=project, user=citizen)
    support_cast(project=project, user=other)
    mine = comment_post(project=project, author=citizen, text="پیشنهاد من")
    comment_post(project=project, author=other, text="پاسخ به پیشنهاد", parent=mine)
    comment_post(project=project, author=other, text="نظر دیگر")
    assert Project.objects.values_list("support_count", "comment_count").get(pk=project.pk) == (2, 3)

    citizen.delete()  # takes the support, the comment and the reply under it

    assert Project.objects.values_list("support_count", "comment_count").get(pk=project.pk) == (1, 1)
