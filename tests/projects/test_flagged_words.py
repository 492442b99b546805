"""Each city's flagged-word list holds comments in that city only; the built-in list spares ordinary complaints."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from places.models import CityParticipationSettings, ModerationPolicy
from projects.models import CommentStatus, FlaggedWord, Project
from projects.moderation import find_flagged_words
from projects.services import comment_post
from tests import factories

pytestmark = pytest.mark.django_db
WORDS = "/admin/projects/flaggedword/"


def _post_moderated_project():
    district = factories.DistrictFactory()
    CityParticipationSettings.objects.create(city=district.city, moderation_policy=ModerationPolicy.POST)
    return factories.ProjectFactory(district=district)


def test_a_citys_own_word_holds_a_comment_there_and_not_in_another_city(citizen):
    in_a, in_b = _post_moderated_project(), _post_moderated_project()
    FlaggedWord.objects.create(city=in_a.district.city, word="رانت‌خوار")
    text = "پیمانکار این پروژه رانت‌خوار است"

    held = comment_post(project=in_a, author=citizen, text=text)
    shown = comment_post(project=in_b, author=citizen, text=text)

    assert held.auto_flagged and held.status == CommentStatus.PENDING
    assert not shown.auto_flagged and shown.status == CommentStatus.PUBLISHED


@pytest.mark.parametrize(
    "text",
    ["سطل آشغال پر است", "کثافت کوچه را گرفته", "آسفالت خیابان خراب است", "آدرس را عوضی نوشته‌اند"],
)
def test_ordinary_complaints_are_published_at_once(citizen, text):
    comment = comment_post(project=_post_moderated_project(), author=citizen, text=text)
    assert comment.status == CommentStatus.PUBLISHED and not comment.auto_flagged


@pytest.mark.parametrize("text", ["این پیمانکار آشغال عوضی است", "خفه شو", "مرتیکه بی‌پدر"])
def test_insults_are_held_for_a_moderator(citizen, text):
    comment = comment_post(project=_post_moderated_project(), author=citizen, text=text)
    assert comment.status == CommentStatus.PENDING and comment.auto_flagged


def test_a_city_may_switch_off_the_built_in_list_and_keep_its_own(citizen):
    project = _post_moderated_project()
    city = project.district.city
    FlaggedWord.objects.create(city=city, word="زمین‌خوار")
    CityParticipationSettings.objects.filter(city=city).update(use_default_flagged_words=False)
    project = Project.objects.get(pk=project.pk)
    assert comment_post(project=project, author=citizen, text="خفه شو").status == CommentStatus.PUBLISHED
    assert comment_post(project=project, author=citizen, text="زمین‌خوار").status == CommentStatus.PENDING
    assert find_flagged_words("خفه شو", city) == []


def _city_admin_of(city):
    return factories.CityAdminFactory(staff_city=city, is_superuser=False)


def test_a_city_admin_sees_and_changes_only_their_own_citys_words(client_for):
    own, other = factories.CityFactory(), factories.CityFactory()
    mine = FlaggedWord.objects.create(city=own, word="رانت‌خوار")
    theirs = FlaggedWord.objects.create(city=other, word="زمین‌خوار")
    client = client_for(_city_admin_of(own))

    listing = client.get(WORDS).content.decode()
    assert "رانت‌خوار" in listing and "زمین‌خوار" not in listing
    assert client.get(f"{WORDS}{theirs.pk}/change/").status_code == 302  # not found for them
    response = client.post(f"{WORDS}{theirs.pk}/delete/", {"post": "yes"})
    assert FlaggedWord.objects.filter(pk=theirs.pk).exists()

    response = client.post(f"{WORDS}add/", {"city": other.pk, "word": "دزد"})  # not a choice for them
    assert response.status_code == 200 and not FlaggedWord.objects.filter(word="دزد").exists()
    response = client.post(f"{WORDS}add/", {"city": own.pk, "word": "دزد بیت‌المال"})
    assert response.status_code == 302 and FlaggedWord.objects.get(word="دزد بیت‌المال").city == own
    response = client.post(f"{WORDS}{mine.pk}/change/", {"city": own.pk, "word": "دزد  بيت‌المال"})
    assert response.status_code == 200
    assert "این واژه از پیش در فهرست این شهر هست" in response.content.decode()


def test_district_staff_cannot_open_or_change_the_word_list(client_for, district_staff, district):
    word = FlaggedWord.objects.create(city=district.city, word="رانت‌خوار")
    client = client_for(district_staff)
    assert client.get(WORDS).status_code == 403
    assert client.post(f"{WORDS}add/", {"city": district.city_id, "word": "دزد"}).status_code == 403
    assert client.post(f"{WORDS}{word.pk}/delete/", {"post": "yes"}).status_code in (302, 403)
    assert FlaggedWord.objects.filter(pk=word.pk).exists() and not FlaggedWord.objects.filter(word="دزد").exists()


def test_the_word_list_page_keeps_its_query_count(client_for, django_assert_max_num_queries):
    city = factories.CityFactory()
    client = client_for(_city_admin_of(city))
    FlaggedWord.objects.create(city=city, word="واژه")
    with django_assert_max_num_queries(12) as few:
        client.get(WORDS)
    FlaggedWord.objects.bulk_create(
        FlaggedWord(city=city, word=f"واژه {n}", word_normalized=f"واژه {n}") for n in range(30)
    )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(WORDS).status_code == 200


def test_false_holds_command_reports_none_for_the_built_in_list():
    out = io.StringIO()
    call_command("moderation_false_holds", stdout=out)
    lines = {tuple(line.split()[:-1]): line.split()[-1] for line in out.getvalue().splitlines()[1:-1]}
    assert lines[("sample", "ordinary", "new")] == "0/100"
    assert lines[("demo", "ordinary", "new")].startswith("0/")
    held, total = lines[("demo", "abusive", "new")].split("/")
    assert held == total
    assert int(lines[("sample", "ordinary", "old")].split("/")[0]) > 0
