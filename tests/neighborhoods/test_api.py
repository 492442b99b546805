from __future__ import annotations

import datetime as dt
import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighborhoods.models import NeedReport, NeedStatus, TrusteeCategory
from neighborhoods.services import need_report_change_status
from tests import factories
from tests.neighborhoods.conftest import png_upload


def login(api_client, user):
    api_client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    return api_client


# --- geography ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_cities_and_districts_are_searchable_with_normalised_text(api_client):
    city = factories.CityFactory(name="كاشان")
    district = factories.DistrictFactory(city=city, name="منطقه ۳")
    assert [c["id"] for c in api_client.get("/api/v1/cities/", {"search": "کاشان"}).json()["results"]] == [city.pk]
    found = api_client.get("/api/v1/districts/", {"search": "منطقه 3", "city": city.pk}).json()["results"]
    assert [d["id"] for d in found] == [district.pk]


@pytest.mark.django_db
def test_neighborhood_list_filters_by_city_district_area_and_search(api_client, district, other_district):
    area = factories.AreaFactory(district=district)
    mine = factories.NeighborhoodFactory(area=area, name="یاس")
    factories.NeighborhoodFactory(area=area, name="لاله")
    elsewhere = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district), name="یاس")

    def ids(**params):
        return {n["id"] for n in api_client.get("/api/v1/neighborhoods/", params).json()["results"]}

    assert ids(search="ياس") == {mine.pk, elsewhere.pk}
    assert ids(search="ياس", district=district.pk) == {mine.pk}
    assert len(ids(area=area.pk)) == 2 and mine.pk not in ids(area=area.pk, search="لاله")
    assert ids(city=district.city_id) >= {mine.pk, elsewhere.pk}
    other_city = factories.DistrictFactory()
    assert ids(city=other_city.city_id) == set()


@pytest.mark.django_db
def test_neighborhood_api_shows_house_public_members_and_open_needs(api_client, neighborhood, board, trustee):
    factories.NeighborhoodHouseFactory(neighborhood=neighborhood)
    factories.TrusteeshipFactory(board=board, term_start=dt.date(2010, 1, 1), term_end=dt.date(2012, 1, 1))
    factories.NeedReportFactory(neighborhood=neighborhood)
    factories.NeedReportFactory(neighborhood=neighborhood, status=NeedStatus.DECLINED)
    body = api_client.get(f"/api/v1/neighborhoods/{neighborhood.pk}/").json()
    assert body["open_need_count"] == 1
    assert body["house"]["name"]
    members = body["board"]["active_members"]
    assert len(members) == 1  # the ended term is not active
    member = members[0]
    assert member["display_name"] == trustee.display_name
    assert set(member) == {
        "id", "display_name", "category", "category_label", "term_start", "term_start_jalali",
        "term_end", "term_end_jalali", "is_active",
    }  # fmt: skip
    raw = json.dumps(body, ensure_ascii=False)
    assert trustee.phone not in raw and "decree" not in raw


@pytest.mark.django_db
def test_neighborhood_api_list_queries_are_constant(api_client, district, django_assert_num_queries):
    area = factories.AreaFactory(district=district)
    places = factories.NeighborhoodFactory.create_batch(3, area=area)
    boards = [factories.TrusteeBoardFactory(neighborhood=p) for p in places[:2]]
    factories.trustee_of(boards[0])
    factories.NeighborhoodHouseFactory(neighborhood=places[0])
    with CaptureQueriesContext(connection) as few:
        assert api_client.get("/api/v1/neighborhoods/").status_code == 200
    for board in boards:
        for category in TrusteeCategory.values:
            factories.trustee_of(board, category=category)
            factories.TrusteeshipFactory(board=board, category=category)
    for place in places[1:]:
        factories.NeighborhoodHouseFactory(neighborhood=place)
    for place in places:
        factories.NeedReportFactory.create_batch(5, neighborhood=place)
    more = factories.NeighborhoodFactory.create_batch(5, area=area)
    for place in more:
        factories.TrusteeshipFactory.create_batch(3, board=factories.TrusteeBoardFactory(neighborhood=place))
    with django_assert_num_queries(len(few.captured_queries)):
        body = api_client.get("/api/v1/neighborhoods/").json()
    assert body["count"] == 8
    assert sum(len(n["board"]["active_members"]) for n in body["results"] if n["board"]) == 2 * 16 + 1 + 15


# --- boards --------------------------------------------------------------------------------------
@pytest.mark.django_db
def test_boards_show_decrees_only_to_staff_of_the_district(api_client, board, trustee, district_staff,
                                                           other_district_staff):  # fmt: skip
    seat = factories.TrusteeshipFactory(board=board, decree_number="۷۷/ب", decree_date=dt.date(2024, 5, 4))

    def member_of(client):
        body = client.get(f"/api/v1/trustee-boards/{board.pk}/").json()
        return next(m for m in body["members"] if m["id"] == seat.pk)

    public = member_of(api_client)
    assert "decree_number" not in public and "decree_file" not in public
    assert "۷۷/ب" not in json.dumps(api_client.get("/api/v1/trustee-boards/").json(), ensure_ascii=False)
    assert "decree_number" not in member_of(login(api_client, other_district_staff))
    staff = member_of(login(api_client, district_staff))
    assert staff["decree_number"] == "۷۷/ب"
    assert staff["decree_date"] == "2024-05-04" and staff["decree_date_jalali"] == "1403/02/15"


@pytest.mark.django_db
def test_boards_keep_ended_terms_and_filter_by_member_category(api_client, board, other_board):
    factories.TrusteeshipFactory(board=board, category=TrusteeCategory.POLICE)
    ended = factories.TrusteeshipFactory(
        board=other_board, category=TrusteeCategory.POLICE, term_start=dt.date(2010, 1, 1), term_end=dt.date(2014, 1, 1)
    )
    found = api_client.get("/api/v1/trustee-boards/", {"category": "police"}).json()["results"]
    assert [b["id"] for b in found] == [board.pk]  # only boards with an *active* police member
    other = api_client.get(f"/api/v1/trustee-boards/{other_board.pk}/").json()
    past = next(m for m in other["members"] if m["id"] == ended.pk)
    assert past["is_active"] is False and past["term_end_jalali"] == "1392/10/11"


# --- need reports ----------------------------------------------------------------------------------
@pytest.mark.django_db
def test_need_reports_never_show_the_reporter(api_client, report, trustee):
    body = api_client.get(f"/api/v1/need-reports/{report.pk}/").json()
    raw = json.dumps(body, ensure_ascii=False)
    assert "reporter" not in body
    assert trustee.display_name not in raw and trustee.phone not in raw
    assert body["status"] == "reported" and body["status_label"] == "گزارش‌شده"
    assert body["created_at_jalali"].count("/") == 2


@pytest.mark.django_db
def test_need_report_filters(api_client, district, other_district, neighborhood):
    here = factories.NeedReportFactory(neighborhood=neighborhood, category="gas", title="بوي گاز در کوچه")
    closed = factories.NeedReportFactory(neighborhood=neighborhood, category="water", status=NeedStatus.RESOLVED)
    there = factories.NeedReportFactory(
        neighborhood=factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    )

    def ids(**params):
        response = api_client.get("/api/v1/need-reports/", params)
        assert response.status_code == 200, response.json()
        return {r["id"] for r in response.json()["results"]}

    assert ids(district=district.pk) == {here.pk, closed.pk}
    assert ids(category="gas") == {here.pk}
    assert ids(status="resolved") == {closed.pk}
    assert ids(open="true") == {here.pk, there.pk}
    assert ids(open="false") == {closed.pk}
    assert ids(search="بوی گاز") == {here.pk}
    assert ids(neighborhood=neighborhood.pk, city=district.city_id) == {here.pk, closed.pk}
    assert ids(area=neighborhood.area_id) == {here.pk, closed.pk}
    bad = api_client.get("/api/v1/need-reports/", {"status": "lost", "district": "x"})
    assert bad.status_code == 400 and set(bad.json()["errors"]) == {"status", "district"}


@pytest.mark.django_db
def test_need_report_list_queries_are_constant(api_client, neighborhood, django_assert_num_queries):
    factories.NeedReportFactory(neighborhood=neighborhood)
    with CaptureQueriesContext(connection) as few:
        api_client.get("/api/v1/need-reports/")
    factories.NeedReportFactory.create_batch(10, neighborhood=neighborhood)
    with django_assert_num_queries(len(few.captured_queries)):
        api_client.get("/api/v1/need-reports/")


@pytest.mark.django_db
def test_trustee_files_a_need_with_a_photo_by_api(api_client, neighborhood, trustee):
    client = login(api_client, trustee)
    response = client.post(
        "/api/v1/need-reports/",
        {"neighborhood": neighborhood.pk, "category": "health", "title": "درمانگاه", "description": "ندارد",
         "photo": png_upload()},
        format="multipart",
    )  # fmt: skip
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["photo"].endswith(".png") and "reporter" not in body
    assert response["Location"].endswith(f"/api/v1/need-reports/{body['id']}/")
    assert NeedReport.objects.get().reporter == trustee


@pytest.mark.django_db
def test_bad_need_input_is_a_400_with_persian_field_errors(api_client, neighborhood, trustee):
    client = login(api_client, trustee)
    response = client.post("/api/v1/need-reports/", {"neighborhood": 999999, "category": "x"}, format="json")
    assert response.status_code == 400
    errors = response.json()["errors"]
    assert set(errors) == {"neighborhood", "category", "title", "description"}
    for messages in errors.values():  # Persian messages (DRF's own keeps a stray "Object" in one)
        assert re.search("[\u0600-\u06ff]", messages[0]), messages
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad_photo = client.post(
        "/api/v1/need-reports/",
        {"neighborhood": neighborhood.pk, "category": "gas", "title": "t", "description": "d",
         "photo": SimpleUploadedFile("x.png", b"GIF89a....")},
        format="multipart",
    )  # fmt: skip
    assert bad_photo.status_code == 400 and "photo" in bad_photo.json()["errors"]
    assert NeedReport.objects.count() == 0


@pytest.mark.django_db
def test_status_changes_by_api_follow_the_workflow(api_client, report, district_staff):
    client = login(api_client, district_staff)
    url = f"/api/v1/need-reports/{report.pk}/status/"
    skipped = client.post(url, {"status": "resolved"}, format="json")
    assert skipped.status_code == 400 and "status" in skipped.json()["errors"]
    no_agency = client.post(url, {"status": "referred"}, format="json")
    assert no_agency.status_code == 400 and "agency" in no_agency.json()["errors"]
    for step in ({"status": "referred", "agency": "آبفا", "note": "ارجاع شد"}, {"status": "in_progress"},
                 {"status": "resolved", "note": "تمام"}):  # fmt: skip
        response = client.post(url, step, format="json")
        assert response.status_code == 200, response.json()
    assert response.json()["status"] == "resolved" and response.json()["agency"] == "آبفا"
    closed = client.post(url, {"status": "declined"}, format="json")
    assert closed.status_code == 400


@pytest.mark.django_db
def test_history_names_who_acted_for_the_reporter(api_client, report, trustee, district_staff):
    need_report_change_status(actor=district_staff, report=report, status="referred", agency="آبفا", note="دلیل")
    body = login(api_client, trustee).get(f"/api/v1/need-reports/{report.pk}/history/").json()
    assert [(h["from_status"], h["to_status"]) for h in body] == [("", "reported"), ("reported", "referred")]
    assert body[1]["actor_name"] == district_staff.display_name and body[1]["note"] == "دلیل"
    assert body[1]["created_at_jalali"]


@pytest.mark.django_db
def test_mine_filter_lists_the_reporters_own_reports(api_client, report, trustee, neighborhood):
    factories.NeedReportFactory(neighborhood=neighborhood)
    assert api_client.get("/api/v1/need-reports/", {"mine": "true"}).json()["count"] == 0
    body = login(api_client, trustee).get("/api/v1/need-reports/", {"mine": "true"}).json()
    assert [r["id"] for r in body["results"]] == [report.pk]


@pytest.mark.django_db
def test_schema_documents_the_neighbourhood_endpoints(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").content.decode()
    for path in ("/api/v1/neighborhoods/", "/api/v1/trustee-boards/", "/api/v1/need-reports/{id}/status/"):
        assert path in schema
