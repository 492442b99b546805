from __future__ import annotations

import datetime as dt
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from neighborhoods.models import NeedReport, NeedStatus, TrusteeCategory
from neighborhoods.services import need_report_change_status
from tests import factories
from tests.factories import HOSTILE
from tests.neighborhoods.conftest import png_upload


def count_queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


# --- district list and district page ---------------------------------------------------
@pytest.mark.django_db
def test_district_list_groups_districts_by_city_with_persian_counts(client, district, neighborhood):
    factories.NeedReportFactory(neighborhood=neighborhood)
    factories.NeedReportFactory(neighborhood=neighborhood, status=NeedStatus.RESOLVED)
    html = client.get("/neighborhoods/").content.decode()
    assert district.city.name in html
    assert f'href="/districts/{district.pk}/"' in html
    assert "۱ نیاز باز" in html  # one open need, in Persian digits; the resolved one is not counted


@pytest.mark.django_db
def test_neighborhood_search_folds_arabic_letters_and_digits(client, district):
    area = factories.AreaFactory(district=district)
    place = factories.NeighborhoodFactory(area=area, name="نیک‌آباد ۲")
    factories.NeighborhoodFactory(area=area, name="گلستان")
    html = client.get("/neighborhoods/", {"search": "نيكآباد 2"}).content.decode()
    assert f'href="/neighborhoods/{place.pk}/"' in html
    assert "گلستان</a>" not in html


@pytest.mark.django_db
def test_bad_filter_value_on_a_page_is_a_persian_field_error_not_a_500(client):
    response = client.get("/neighborhoods/", {"district": "abc"})
    assert response.status_code == 200
    assert "field-error" in response.content.decode()
    response = client.get("/needs/", {"status": "nonsense", "city": "x"})
    assert response.status_code == 200
    assert "یک گزینهٔ معتبر انتخاب کنید" in response.content.decode()


@pytest.mark.django_db
def test_district_page_lists_areas_neighborhoods_and_open_needs(client, district, neighborhood):
    factories.NeedReportFactory(neighborhood=neighborhood)
    html = client.get(f"/districts/{district.pk}/").content.decode()
    assert neighborhood.area.name in html
    assert f'href="/neighborhoods/{neighborhood.pk}/"' in html
    assert f"?district={district.pk}&amp;open=true" in html


@pytest.mark.django_db
def test_district_page_queries_do_not_grow_with_neighborhoods(client, district, neighborhood,
                                                              django_assert_max_num_queries):  # fmt: skip
    url = f"/districts/{district.pk}/"
    few = count_queries(client, url)
    for _ in range(3):
        area = factories.AreaFactory(district=district)
        for place in factories.NeighborhoodFactory.create_batch(4, area=area):
            factories.NeedReportFactory.create_batch(2, neighborhood=place)
    with django_assert_max_num_queries(few):
        client.get(url)


# --- neighbourhood page -------------------------------------------------------------------
@pytest.fixture
def full_neighborhood(neighborhood, board):
    factories.NeighborhoodHouseFactory(neighborhood=neighborhood, phone="021-55001234")
    factories.TrusteeshipFactory(
        board=board,
        category=TrusteeCategory.MOSQUE_IMAM,
        member_name="حجت‌الاسلام نمونه",
        term_start=dt.date(2024, 5, 4),
        term_end=dt.date(2099, 5, 4),
        decree_number="۴۵۶/الف",
    )
    factories.TrusteeshipFactory(
        board=board,
        member_name="عضو پیشین",
        term_start=dt.date(2015, 1, 1),
        term_end=dt.date(2019, 1, 1),
    )
    factories.NeedReportFactory(neighborhood=neighborhood, title="قطعی آب کوچه")
    factories.NeedReportFactory(neighborhood=neighborhood, title="مشکل حل‌شده", status=NeedStatus.RESOLVED)
    return neighborhood


@pytest.mark.django_db
def test_neighborhood_page_shows_house_active_members_by_category_and_open_needs(client, full_neighborhood):
    html = client.get(f"/neighborhoods/{full_neighborhood.pk}/").content.decode()
    assert "سرای محله" in html
    assert "۰۲۱-۵۵۰۰۱۲۳۴" in html  # the house's public telephone, in Persian digits
    assert "امام جماعت مسجد محل" in html  # category heading
    assert "حجت‌الاسلام نمونه" in html
    assert "۱۵ اردیبهشت ۱۴۰۳" in html  # the term start, in Jalali with Persian digits
    assert "عضو پیشین" not in html  # ended terms stay on record, not on the page
    assert "قطعی آب کوچه" in html
    assert "مشکل حل‌شده" not in html
    assert "۴۵۶/الف" not in html  # decree numbers are for staff only
    assert "<script>alert(1)</script>" not in html  # hostile factory text is escaped
    assert "&lt;script&gt;" in html


@pytest.mark.django_db
def test_staff_of_the_district_see_decrees_on_the_page(client_for, full_neighborhood, district_staff,
                                                        other_district_staff):  # fmt: skip
    url = f"/neighborhoods/{full_neighborhood.pk}/"
    assert "۴۵۶/الف" in client_for(district_staff).get(url).content.decode()
    assert "۴۵۶/الف" not in client_for(other_district_staff).get(url).content.decode()


@pytest.mark.django_db
def test_only_a_member_of_this_board_sees_the_report_button(client_for, neighborhood, trustee, other_trustee,
                                                             citizen):  # fmt: skip
    url = f"/neighborhoods/{neighborhood.pk}/"
    new = f"/neighborhoods/{neighborhood.pk}/needs/new/"
    assert new in client_for(trustee).get(url).content.decode()
    assert new not in client_for(other_trustee).get(url).content.decode()
    assert new not in client_for(citizen).get(url).content.decode()


@pytest.mark.django_db
def test_neighborhood_page_queries_are_constant_whatever_the_members_and_needs(
    client, full_neighborhood, board, django_assert_max_num_queries
):
    url = f"/neighborhoods/{full_neighborhood.pk}/"
    few = count_queries(client, url)
    for category in TrusteeCategory.values:
        factories.TrusteeshipFactory.create_batch(2, board=board, category=category)
        factories.trustee_of(board, category=category)
    factories.NeedReportFactory.create_batch(15, neighborhood=full_neighborhood)
    with django_assert_max_num_queries(few):
        response = client.get(url)
    assert response.content.decode().count('class="card nbh-need"') == 16


@pytest.mark.django_db
def test_neighborhood_page_queries_are_constant_for_a_signed_in_trustee(
    client_for, full_neighborhood, board, trustee, django_assert_max_num_queries
):
    client = client_for(trustee)
    url = f"/neighborhoods/{full_neighborhood.pk}/"
    few = count_queries(client, url)
    factories.TrusteeshipFactory.create_batch(10, board=board)
    factories.NeedReportFactory.create_batch(10, neighborhood=full_neighborhood)
    with django_assert_max_num_queries(few):
        client.get(url)


@pytest.mark.django_db
def test_neighborhood_without_board_or_house_still_renders(client, neighborhood):
    html = client.get(f"/neighborhoods/{neighborhood.pk}/").content.decode()
    assert "هیئت امنایی برای این محله ثبت نشده است" in html


@pytest.mark.django_db
def test_unknown_ids_are_persian_404s(client):
    for url in ("/neighborhoods/999999/", "/districts/999999/", "/needs/999999/"):
        assert client.get(url).status_code == 404


# --- need list and detail -----------------------------------------------------------------------
@pytest.mark.django_db
def test_need_list_filters_by_category_and_status(client, neighborhood):
    water = factories.NeedReportFactory(neighborhood=neighborhood, category="water", title="آب")
    gas = factories.NeedReportFactory(neighborhood=neighborhood, category="gas", title="گاز")
    html = client.get("/needs/", {"category": "gas"}).content.decode()
    assert f"/needs/{gas.pk}/" in html and f"/needs/{water.pk}/" not in html
    html = client.get("/needs/", {"status": "resolved"}).content.decode()
    assert f"/needs/{gas.pk}/" not in html


@pytest.mark.django_db
def test_need_list_queries_do_not_grow(client, neighborhood, django_assert_max_num_queries):
    factories.NeedReportFactory(neighborhood=neighborhood)
    few = count_queries(client, "/needs/")
    factories.NeedReportFactory.create_batch(12, neighborhood=neighborhood)
    with django_assert_max_num_queries(few):
        client.get("/needs/")


@pytest.mark.django_db
def test_public_need_page_hides_the_reporter_and_staff_notes(client, client_for, report, trustee, district_staff):
    need_report_change_status(actor=district_staff, report=report, status="referred", agency="آبفا", note="یادداشت")
    html = client.get(f"/needs/{report.pk}/").content.decode()
    assert trustee.display_name not in html and "&lt;script&gt;" not in html.split("<main", 1)[1]
    assert district_staff.phone not in html and trustee.phone not in html
    assert "یادداشت" not in html
    assert "ارجاع‌شده" in html and "آبفا" in html
    mine = client_for(trustee).get(f"/needs/{report.pk}/").content.decode()
    assert "یادداشت" in mine  # the reporter sees the history with notes


@pytest.mark.django_db
def test_reporter_finds_their_reports_with_the_mine_filter(client_for, report, neighborhood):
    other = factories.NeedReportFactory(neighborhood=neighborhood)
    html = client_for(report.reporter).get("/needs/", {"mine": "true"}).content.decode()
    assert f"/needs/{report.pk}/" in html and f"/needs/{other.pk}/" not in html


# --- filing a need ------------------------------------------------------------------------------
@pytest.mark.django_db
def test_trustee_files_a_need_with_a_photo(client_for, neighborhood, trustee):
    client = client_for(trustee)
    response = client.post(
        f"/neighborhoods/{neighborhood.pk}/needs/new/",
        {
            "category": "green_space",
            "title": "  بوستان   بی‌نور ",
            "description": "چراغ‌ها خاموش‌اند",
            "photo": png_upload(),
        },
    )
    report = NeedReport.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/needs/{report.pk}/"
    assert report.title == "بوستان بی‌نور" and report.reporter == trustee
    assert report.photo.name.startswith("needs/") and report.photo.name.endswith(".png")
    assert list(report.status_changes.values_list("to_status", flat=True)) == ["reported"]


@pytest.mark.django_db
def test_bad_input_gives_persian_field_errors(client_for, neighborhood, trustee):
    client = client_for(trustee)
    response = client.post(
        f"/neighborhoods/{neighborhood.pk}/needs/new/",
        {"category": "nope", "title": "", "description": "", "photo": png_upload().__class__("x.png", b"not an image")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    errors = re.findall(r'<p class="field-error" role="alert">([^<]*)</p>', html)
    assert len(errors) == 3  # category, title, description
    assert all(re.search("[\u0600-\u06ff]", e) and not re.search("[A-Za-z]{3}", e.replace("nope", "")) for e in errors)
    assert "یک گزینهٔ معتبر انتخاب کنید" in html
    assert NeedReport.objects.count() == 0


@pytest.mark.django_db
def test_a_photo_that_is_not_an_image_is_refused_in_persian(client_for, neighborhood, trustee):
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = client_for(trustee).post(
        f"/neighborhoods/{neighborhood.pk}/needs/new/",
        {
            "category": "water",
            "title": "آب",
            "description": "قطع است",
            "photo": SimpleUploadedFile("a.png", b"<svg onload=alert(1)>"),
        },
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="field-error"' in html and "JPEG" in html  # the accepted kinds are named
    assert NeedReport.objects.count() == 0


@pytest.mark.django_db
def test_filing_is_rate_limited(client_for, neighborhood, trustee, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "need_report": (2, 3600)}
    client = client_for(trustee)
    url = f"/neighborhoods/{neighborhood.pk}/needs/new/"
    codes = [client.post(url, {"category": "gas", "title": "t", "description": "d"}).status_code for _ in range(3)]
    assert codes == [302, 302, 429]
    assert NeedReport.objects.count() == 2


@pytest.mark.django_db
def test_a_trustee_whose_term_ended_may_no_longer_file(client_for, neighborhood, board):
    seat = factories.trustee_of(board, term_start=dt.date(2015, 1, 1), term_end=dt.date(2019, 1, 1))
    response = client_for(seat.user).get(f"/neighborhoods/{neighborhood.pk}/needs/new/")
    assert response.status_code == 403


# --- staff move a need along on its page ------------------------------------------------------------
@pytest.mark.django_db
def test_staff_change_status_with_a_note_and_the_reporter_sees_it(client_for, report, district_staff, trustee):
    client = client_for(district_staff)
    response = client.post(f"/needs/{report.pk}/status/", {"status": "referred", "agency": "شرکت آب", "note": "پیگیری"})
    assert response.status_code == 302
    report.refresh_from_db()
    assert report.status == "referred" and report.agency == "شرکت آب"
    html = client_for(trustee).get(f"/needs/{report.pk}/").content.decode()
    assert "پیگیری" in html and "ارجاع‌شده" in html


@pytest.mark.django_db
def test_invalid_status_steps_are_field_errors_in_persian(client_for, report, district_staff):
    client = client_for(district_staff)
    skipped = client.post(f"/needs/{report.pk}/status/", {"status": "resolved"})
    assert skipped.status_code == 400
    assert "یک گزینهٔ معتبر انتخاب کنید" in skipped.content.decode()
    no_agency = client.post(f"/needs/{report.pk}/status/", {"status": "referred", "agency": ""})
    assert no_agency.status_code == 400
    assert "نهادی را که گزارش به آن ارجاع می‌شود بنویسید" in no_agency.content.decode()
    report.refresh_from_db()
    assert report.status == "reported"


@pytest.mark.django_db
def test_hostile_text_in_a_report_is_escaped(client, neighborhood):
    report = factories.NeedReportFactory(neighborhood=neighborhood)
    html = client.get(f"/needs/{report.pk}/").content.decode()
    assert HOSTILE not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
