import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from projects.models import Idea, IdeaStatus, Phase, ProposerKind
from projects.services import idea_accept, idea_return, idea_submit
from tests import factories

pytestmark = pytest.mark.django_db


def _png() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "green").save(out, format="PNG")
    return SimpleUploadedFile("photo.png", out.getvalue(), content_type="image/png")


@pytest.fixture
def idea_round(district):
    return factories.IdeaRoundFactory(city=district.city)


def test_submit_accept_becomes_a_linked_proposed_project(
    idea_round, neighborhood, citizen, district_staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    idea = idea_submit(
        idea_round=idea_round,
        author=citizen,
        neighborhood=neighborhood,
        title="زمین بازی کودکان",
        description="در پارک محله",
        photo=_png(),
    )
    assert idea.status == IdeaStatus.SUBMITTED and idea.photo.name.startswith("ideas/")
    project = idea_accept(idea=idea, actor=district_staff, category="sport", budget=500)
    idea.refresh_from_db()
    assert idea.status == IdeaStatus.ACCEPTED and idea.project == project
    assert project.phase == Phase.PROPOSED and project.proposer_kind == ProposerKind.CITIZEN
    assert project.proposer_user == citizen and list(project.neighborhoods.all()) == [neighborhood]
    assert project.images.count() == 1
    assert project.source_idea == idea
    with pytest.raises(ValidationError):
        idea_return(idea=idea, actor=district_staff, reason="دیر")  # already reviewed


def test_returned_idea_shows_the_reason_to_its_author(client_for, idea_round, neighborhood, citizen, district_staff):
    idea = factories.IdeaFactory(round=idea_round, neighborhood=neighborhood, author=citizen)
    with pytest.raises(ValidationError):
        idea_return(idea=idea, actor=district_staff, reason=" ")
    idea_return(idea=idea, actor=district_staff, reason="بودجه این سال تمام شده است")
    html = client_for(citizen).get("/ideas/").content.decode()
    assert "بودجه این سال تمام شده است" in html and "بازگردانده‌شده" in html


def test_review_is_scoped_to_the_district(idea_round, neighborhood, other_district_staff):
    idea = factories.IdeaFactory(round=idea_round, neighborhood=neighborhood)
    with pytest.raises(PermissionDenied):
        idea_accept(idea=idea, actor=other_district_staff)


def test_closed_round_and_foreign_neighbourhood_are_refused(district, neighborhood, citizen):
    closed = factories.IdeaRoundFactory(
        city=district.city,
        opens_on=timezone.localdate() - dt.timedelta(days=9),
        closes_on=timezone.localdate() - dt.timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        idea_submit(idea_round=closed, author=citizen, neighborhood=neighborhood, title="x", description="y")
    elsewhere = factories.IdeaRoundFactory()
    with pytest.raises(ValidationError) as err:
        idea_submit(idea_round=elsewhere, author=citizen, neighborhood=neighborhood, title="x", description="y")
    assert "neighborhood" in err.value.message_dict


def test_submit_page(client_for, client, idea_round, neighborhood, citizen, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    url = f"/ideas/{idea_round.pk}/submit/"
    assert client.get(url).status_code == 302  # sign in first
    author = client_for(citizen)
    assert author.get(url).status_code == 200
    bad = author.post(url, {"neighborhood": neighborhood.pk, "title": "", "description": "y"})
    assert bad.status_code == 200 and "field-error" in bad.content.decode()
    fake = SimpleUploadedFile("x.png", b"<svg onload=alert(1)>", content_type="image/png")
    bad_photo = author.post(url, {"neighborhood": neighborhood.pk, "title": "x", "description": "y", "photo": fake})
    assert bad_photo.status_code == 200 and not Idea.objects.exists()
    ok = author.post(url, {"neighborhood": neighborhood.pk, "title": "ایده", "description": "شرح", "photo": _png()})
    assert ok.status_code == 302
    assert Idea.objects.get().author == citizen
    assert "ایده" in author.get("/ideas/").content.decode()
