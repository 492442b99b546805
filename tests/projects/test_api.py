import datetime as dt

import pytest

from projects.models import Category, CommentStatus, Phase, Support
from tests import factories

pytestmark = pytest.mark.django_db


def test_list_filters_search_and_ordering(api_client, project, other_project, neighborhood):
    project.start_date = dt.date(2024, 8, 2)
    project.save()
    factories.ProjectFactory(district=project.district, title="کتابخانه", category=Category.CULTURE, support_count=9)
    data = api_client.get("/api/v1/projects/").json()
    assert data["count"] == 3
    row = next(r for r in data["results"] if r["id"] == project.pk)
    assert row["start_date"] == "2024-08-02" and row["start_date_jalali"] == "1403/05/12"
    assert row["district"]["id"] == project.district_id and row["city"]["id"] == project.district.city_id
    assert row["neighborhoods"] == [{"id": neighborhood.pk, "name": neighborhood.name}]
    assert row["phase_display"] == "پیشنهادشده"
    for query, expected in [
        (f"district={project.district_id}", 2),
        (f"neighborhood={neighborhood.pk}", 1),
        (f"city={other_project.district.city_id}", 3),
        ("category=culture", 1),
        ("phase=approved", 0),
        ("search=كتابخانه", 1),
    ]:
        assert api_client.get(f"/api/v1/projects/?{query}").json()["count"] == expected, query
    ordered = api_client.get("/api/v1/projects/?ordering=most_supported").json()["results"]
    assert ordered[0]["title"] == "کتابخانه"


def test_bad_filter_is_400_with_field_errors(api_client):
    response = api_client.get("/api/v1/projects/?district=abc&phase=nope&ordering=random")
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid" and {"district", "phase", "ordering"} <= set(body["errors"])


def test_detail_has_timeline_and_no_personal_data(api_client, project, district_staff):
    from projects.services import project_change_phase, project_post_update

    project_change_phase(project=project, actor=district_staff, to_phase=Phase.UNDER_REVIEW, note="یادداشت")
    project_post_update(project=project, actor=district_staff, text="گزارش")
    data = api_client.get(f"/api/v1/projects/{project.pk}/").json()
    assert [c["to_phase"] for c in data["phase_changes"]] == [Phase.UNDER_REVIEW]
    assert data["updates"][0]["text"] == "گزارش" and data["updates"][0]["created_at_jalali"]
    text = str(data)
    assert district_staff.phone not in text and "phone" not in text and "email" not in text


def test_comments_list_published_only_and_create(api_client, api_as, project, citizen):
    published = factories.CommentFactory(project=project, author=factories.UserFactory(email="a@example.org"))
    factories.CommentFactory(project=project, status=CommentStatus.PENDING)
    data = api_client.get(f"/api/v1/projects/{project.pk}/comments/").json()
    assert [c["id"] for c in data["results"]] == [published.pk]
    assert set(data["results"][0]) == {
        "id",
        "parent",
        "author",
        "author_deleted",
        "text",
        "status",
        "created_at",
        "created_at_jalali",
        "edited_at",
    }
    assert "a@example.org" not in str(data)
    assert api_client.post(f"/api/v1/projects/{project.pk}/comments/", {"text": "x"}).status_code in (401, 403)

    api = api_as(citizen)
    response = api.post(f"/api/v1/projects/{project.pk}/comments/", {"text": "نظر از API"}, format="json")
    assert response.status_code == 201
    assert response.json()["status"] == "pending"
    reply = api.post(
        f"/api/v1/projects/{project.pk}/comments/", {"text": "پاسخ", "parent": published.pk}, format="json"
    )
    assert reply.status_code == 201 and reply.json()["parent"] == published.pk
    bad = api.post(f"/api/v1/projects/{project.pk}/comments/", {"text": ""}, format="json")
    assert bad.status_code == 400 and "text" in bad.json()["errors"]
    blank = api.post(f"/api/v1/projects/{project.pk}/comments/", {"text": "\u202e  "}, format="json")
    assert blank.status_code == 400 and "text" in blank.json()["errors"]


def test_support_post_and_delete(api_as, api_client, project, citizen):
    api = api_as(citizen)
    first = api.post(f"/api/v1/projects/{project.pk}/support/")
    assert first.status_code == 201 and first.json() == {"supported": True, "support_count": 1}
    again = api.post(f"/api/v1/projects/{project.pk}/support/")
    assert again.status_code == 200 and again.json()["support_count"] == 1
    gone = api.delete(f"/api/v1/projects/{project.pk}/support/")
    assert gone.json() == {"supported": False, "support_count": 0}
    assert not Support.objects.exists()


def test_support_in_a_closed_phase_is_400(api_as, district, citizen):
    project = factories.ProjectFactory(district=district, phase=Phase.COMPLETED)
    response = api_as(citizen).post(f"/api/v1/projects/{project.pk}/support/")
    assert response.status_code == 400
    assert response.json()["errors"]["non_field_errors"]


def test_anonymous_writes_are_refused(api_client, project):
    for method, url in [
        ("post", f"/api/v1/projects/{project.pk}/support/"),
        ("delete", f"/api/v1/projects/{project.pk}/support/"),
        ("post", f"/api/v1/projects/{project.pk}/follow/"),
    ]:
        assert getattr(api_client, method)(url).status_code in (401, 403)


def test_follow_post_and_delete(api_as, project, citizen):
    api = api_as(citizen)
    assert api.post(f"/api/v1/projects/{project.pk}/follow/").status_code == 201
    assert api.post(f"/api/v1/projects/{project.pk}/follow/").status_code == 200
    assert api.delete(f"/api/v1/projects/{project.pk}/follow/").json() == {"following": False}


def test_unknown_project_is_404_json(api_client):
    response = api_client.get("/api/v1/projects/999999/comments/")
    assert response.status_code == 404 and response.json()["code"] == "not_found"


def test_write_throttle(api_as, project, citizen, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "project_comment": (2, 600)}
    api = api_as(citizen)
    codes = [
        api.post(f"/api/v1/projects/{project.pk}/comments/", {"text": f"n{i}"}, format="json").status_code
        for i in range(3)
    ]
    assert codes == [201, 201, 429]


def test_schema_documents_the_project_endpoints(api_client):
    schema = api_client.get("/api/schema/?format=json").json()
    for path in (
        "/api/v1/projects/",
        "/api/v1/projects/{id}/comments/",
        "/api/v1/projects/{id}/support/",
        "/api/v1/projects/{id}/follow/",
        "/api/v1/budgeting-rounds/{id}/ballot/",
    ):
        assert path in schema["paths"], path
