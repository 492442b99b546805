"""The denormalised counters stay exact when an account goes and its rows stay without it."""

from __future__ import annotations

import pytest

from places.models import ModerationPolicy
from projects.models import Project
from projects.services import comment_post, support_cast
from tests import factories

pytestmark = pytest.mark.django_db


def test_deleting_an_account_keeps_its_supports_and_comments_counted(settings, district, citizen):
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

    citizen.delete()  # the support and the comment stay, no longer pointing to a person

    assert Project.objects.values_list("support_count", "comment_count").get(pk=project.pk) == (2, 3)
    assert project.supports.filter(user__isnull=True).count() == 1
    assert project.comments.filter(author__isnull=True).count() == 1
