import csv
import io
import json

import pytest
from openpyxl import load_workbook

from projects.models import CommentStatus
from tests import factories

pytestmark = pytest.mark.django_db


def _csv(response) -> list[dict]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(body)))


def test_open_data_csv_and_json_follow_the_filters(client, project, other_project):
    factories.CommentFactory(project=project)
    project.comment_count, project.support_count = 1, 4
    project.save()
    rows = _csv(client.get(f"/projects/export.csv?district={project.district_id}"))
    assert [int(r["id"]) for r in rows] == [project.pk]
    assert rows[0]["support_count"] == "4" and rows[0]["comment_count"] == "1"
    assert rows[0]["title"] == project.title  # CSV keeps the text as written
    data = json.loads(client.get("/projects/export.json").content)
    assert data["count"] == 2
    assert {p["id"] for p in data["projects"]} == {project.pk, other_project.pk}
    assert "phone" not in json.dumps(data)


def test_formula_like_cells_are_made_inert(client, district):
    factories.ProjectFactory(district=district, title='=HYPERLINK("http://x")')
    rows = _csv(client.get("/projects/export.csv"))
    assert rows[0]["title"].startswith("'=")


def test_staff_export_published_comments(client_for, project, district_staff, other_district_staff, citizen):
    author = factories.UserFactory(email="hidden@example.org", display_name="نویسنده")
    factories.CommentFactory(project=project, author=author, text="منتشرشده")
    factories.CommentFactory(project=project, text="در انتظار", status=CommentStatus.PENDING)
    staff = client_for(district_staff)
    rows = _csv(staff.get(f"/projects/{project.pk}/comments/export/"))
    assert [r["text"] for r in rows] == ["منتشرشده"] and rows[0]["author"] == "نویسنده"
    xlsx = staff.get(f"/projects/{project.pk}/comments/export/?format=xlsx")
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0][0] == "id" and values[1][6] == "منتشرشده"
    district_rows = _csv(staff.get(f"/projects/districts/{project.district_id}/comments/export/"))
    assert len(district_rows) == 1
    assert "hidden@example.org" not in str(values) + str(district_rows)
    assert client_for(other_district_staff).get(f"/projects/{project.pk}/comments/export/").status_code == 403
    assert client_for(citizen).get(f"/projects/districts/{project.district_id}/comments/export/").status_code == 403
