from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from core.audit import history
from core.persian import to_persian_digits
from neighborhoods.models import NeedStatus, Trusteeship
from tests import factories
from tests.admin_forms import admin_form_data
from tests.neighborhoods.conftest import PDF


@pytest.fixture
def admin_client(client_for, city_admin):
    return client_for(city_admin)


def trusteeship_post(board, **overrides) -> dict:
    return {
        "board": str(board.pk),
        "member_name": "علی کریمی",
        "category": "police",
        "decree_number": "۱۲/۳",
        "decree_date": "۱۴۰۳/۰۲/۱۰",
        "decree_issuer": "شهردار منطقه",
        "term_start": "1403-02-15",
        "term_end": "۱۴۰۷/۰۲/۱۵",
    } | overrides


@pytest.mark.django_db
def test_decree_dates_are_entered_in_jalali_and_stored_in_gregorian(admin_client, board):
    response = admin_client.post("/admin/neighborhoods/trusteeship/add/", trusteeship_post(board))
    assert response.status_code == 302, response.content.decode()[:2000]
    seat = Trusteeship.objects.get(member_name="علی کریمی")
    assert seat.decree_date == dt.date(2024, 4, 29)
    assert (seat.term_start, seat.term_end) == (dt.date(2024, 5, 4), dt.date(2028, 5, 4))
    page = admin_client.get(f"/admin/neighborhoods/trusteeship/{seat.pk}/change/").content.decode()
    assert 'value="1403/02/15"' in page  # shown back in Jalali
    assert "vjDateField" in page  # django-jalali's date picker
    assert [e.action for e in history(seat)] == ["trusteeship.created"]


@pytest.mark.django_db
def test_bad_terms_are_persian_form_errors(admin_client, board):
    url = "/admin/neighborhoods/trusteeship/add/"
    backwards = admin_client.post(url, trusteeship_post(board, term_end="1402/01/01"))
    assert backwards.status_code == 200
    assert "پایان دوره باید بعد از آغاز آن باشد" in backwards.content.decode()
    not_a_date = admin_client.post(url, trusteeship_post(board, decree_date="2024/05/04"))
    assert "یک تاریخ شمسی معتبر وارد کنید" in not_a_date.content.decode()
    admin_client.post(url, trusteeship_post(board))
    overlapping = admin_client.post(url, trusteeship_post(board, member_name="علي كريمي", term_start="1405/01/01"))
    assert overlapping.status_code == 200
    assert "هم‌پوشانی" in overlapping.content.decode()
    assert Trusteeship.objects.filter(board=board).exclude(user__isnull=False).count() == 1


@pytest.mark.django_db
def test_overlapping_terms_entered_together_on_the_board_page_are_refused(admin_client, board):
    url = f"/admin/neighborhoods/trusteeboard/{board.pk}/change/"
    data = admin_form_data(admin_client, url)
    start = int(data["trusteeships-TOTAL_FORMS"])
    data["trusteeships-TOTAL_FORMS"] = str(start + 2)
    for index, (begin, end) in enumerate((("1403/01/01", "1406/01/01"), ("1405/01/01", "1409/01/01"))):
        prefix = f"trusteeships-{start + index}-"
        data |= {f"{prefix}{k}": v for k, v in trusteeship_post(board, term_start=begin, term_end=end).items()}
        data.pop(f"{prefix}board")
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert "هم‌پوشانی" in response.content.decode()
    assert not Trusteeship.objects.filter(member_name="علی کریمی").exists()


@pytest.mark.django_db
def test_decree_scans_must_be_pdf_or_images(admin_client, board):
    url = "/admin/neighborhoods/trusteeship/add/"
    refused = admin_client.post(
        url,
        trusteeship_post(board) | {"decree_file": SimpleUploadedFile("scan-by-hand.pdf", b"<html>not a pdf</html>")},
    )
    assert refused.status_code == 200 and not Trusteeship.objects.filter(member_name="علی کریمی").exists()
    accepted = admin_client.post(
        url, trusteeship_post(board) | {"decree_file": SimpleUploadedFile("scan-by-hand.pdf", PDF)}
    )
    assert accepted.status_code == 302
    seat = Trusteeship.objects.get(member_name="علی کریمی")
    assert seat.decree_file.name.startswith("decrees/") and "scan-by-hand" not in seat.decree_file.name
    assert seat.decree_file.storage.url(seat.decree_file.name) == ""  # no public URL


@pytest.mark.django_db
def test_district_staff_see_only_their_districts_rows(client_for, district_staff, board, other_district, report):
    foreign_place = factories.NeighborhoodFactory(area=factories.AreaFactory(district=other_district))
    foreign_board = factories.TrusteeBoardFactory(neighborhood=foreign_place)
    foreign_report = factories.NeedReportFactory(neighborhood=foreign_place, title="گزارش منطقه دیگر")
    client = client_for(district_staff)
    boards = client.get("/admin/neighborhoods/trusteeboard/").content.decode()
    assert f"/trusteeboard/{board.pk}/change/" in boards and f"/trusteeboard/{foreign_board.pk}/change/" not in boards
    needs = client.get("/admin/neighborhoods/needreport/").content.decode()
    assert f"/needreport/{report.pk}/change/" in needs and "گزارش منطقه دیگر" not in needs
    places = client.get("/admin/places/neighborhood/").content.decode()
    assert f"/neighborhood/{foreign_place.pk}/change/" not in places
    assert client.get(f"/admin/neighborhoods/needreport/{foreign_report.pk}/change/").status_code == 302
    # Choices in forms are cut to their districts too.
    add_page = client.get("/admin/neighborhoods/trusteeboard/add/").content.decode()
    assert f'value="{foreign_place.pk}"' not in add_page
    assert client.get("/admin/places/city/add/").status_code == 403


@pytest.mark.django_db
def test_admin_search_matches_normalised_names(admin_client, district):
    place = factories.NeighborhoodFactory(area=factories.AreaFactory(district=district), name="علی‌آباد")
    page = admin_client.get("/admin/places/neighborhood/", {"q": "علي آباد"}).content.decode()
    assert f"/neighborhood/{place.pk}/change/" in page


@pytest.mark.django_db
def test_need_status_in_admin_offers_only_the_next_steps(admin_client, report):
    url = f"/admin/neighborhoods/needreport/{report.pk}/change/"
    page = admin_client.get(url).content.decode()
    assert 'value="referred"' in page and 'value="resolved"' not in page
    data = admin_form_data(admin_client, url)
    refused = admin_client.post(url, data | {"status": "referred", "agency": ""})
    assert refused.status_code == 200
    assert "نهادی را که گزارش به آن ارجاع می‌شود بنویسید" in refused.content.decode()
    note_only = admin_client.post(url, data | {"note": "فقط یادداشت"})
    assert note_only.status_code == 200
    report.refresh_from_db()
    assert report.status == NeedStatus.REPORTED and report.status_changes.count() == 1
    assert admin_client.get("/admin/neighborhoods/needreport/add/").status_code == 403


@pytest.mark.django_db
def test_board_list_and_trusteeship_list_render_with_jalali_dates(admin_client, board, trusteeship):
    page = admin_client.get("/admin/neighborhoods/trusteeboard/").content.decode()
    assert "۱ فروردین ۱۴۰۲" in page  # formed_on 2023-03-21 is 1 Farvardin 1402
    listing = admin_client.get("/admin/neighborhoods/trusteeship/", {"term": "active"})
    # The decree number as staff read it: in Persian digits.
    assert listing.status_code == 200 and to_persian_digits(trusteeship.decree_number) in listing.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("who", ["city_admin", "district_staff"])
def test_every_neighbourhood_admin_page_renders(request, client_for, who, board, trusteeship, report, neighborhood):
    factories.NeighborhoodHouseFactory(neighborhood=neighborhood)
    client = client_for(request.getfixturevalue(who))
    district = neighborhood.district
    objects = {
        "places/city": district.city_id,
        "places/district": district.pk,
        "places/area": neighborhood.area_id,
        "places/neighborhood": neighborhood.pk,
        "neighborhoods/trusteeboard": board.pk,
        "neighborhoods/trusteeship": trusteeship.pk,
        "neighborhoods/needreport": report.pk,
    }
    for model, pk in objects.items():
        base = f"/admin/{model}/"
        assert client.get(base).status_code == 200, base
        assert client.get(base, {"q": "علي"}).status_code == 200, base
        assert client.get(f"{base}{pk}/change/").status_code == 200, model
    assert client.get("/admin/").status_code == 200


@pytest.mark.django_db
def test_staff_add_the_house_on_the_neighbourhood_page(client_for, district_staff, neighborhood):
    """The neighbourhood's admin page (in ``places``) carries this app's house inline."""
    client = client_for(district_staff)
    url = f"/admin/places/neighborhood/{neighborhood.pk}/change/"
    data = admin_form_data(client, url) | {
        "house-TOTAL_FORMS": "1",
        "house-0-name": "سرای محله نمونه",
        "house-0-address": "خیابان اول، پلاک ۱",
    }
    assert client.post(url, data).status_code == 302
    assert neighborhood.house.name == "سرای محله نمونه"
    listing = client.get("/admin/places/neighborhood/").content.decode()
    assert "field-has_house" in listing and 'alt="True"' in listing
