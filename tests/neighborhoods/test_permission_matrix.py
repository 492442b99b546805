"""Every write on neighbourhood records, by every role, through pages, API and admin.

One table: a row per action, a column per role. ``OK`` means the write
happens; ``NO`` means it is refused and nothing changes. The import command
is not in the table: it runs on the server, so only staff with shell access
can run it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pytest
from django.test import Client
from django.utils import timezone
from rest_framework.test import APIClient

from neighborhoods.models import NeedReport, NeedStatus, TrusteeBoard, Trusteeship
from places.models import Neighborhood
from tests import factories
from tests.admin_forms import admin_form_data
from tests.neighborhoods.conftest import PDF

OK, NO = True, False
ROLES = ("anonymous", "citizen", "trustee", "other_trustee", "staff", "other_staff", "city_admin")

MATRIX = [
    # action                   anonymous citizen trustee other_trustee staff other_staff city_admin
    ("file_need_page",           NO,     NO,     OK,     NO,           NO,   NO,         NO),
    ("file_need_api",            NO,     NO,     OK,     NO,           NO,   NO,         NO),
    ("change_status_page",       NO,     NO,     NO,     NO,           OK,   NO,         OK),
    ("change_status_api",        NO,     NO,     NO,     NO,           OK,   NO,         OK),
    ("change_status_admin",      NO,     NO,     NO,     NO,           OK,   NO,         OK),
    ("add_board_admin",          NO,     NO,     NO,     NO,           OK,   NO,         OK),
    ("edit_board_admin",         NO,     NO,     NO,     NO,           OK,   NO,         OK),
    ("add_trusteeship_admin",    NO,     NO,     NO,     NO,           OK,   NO,         OK),
    ("edit_trusteeship_admin",   NO,     NO,     NO,     NO,           OK,   NO,         OK),
    ("add_member_on_board_admin", NO,    NO,     NO,     NO,           OK,   NO,         OK),
    ("edit_neighborhood_admin",  NO,     NO,     NO,     NO,           OK,   NO,         OK),
    # reads that are not public
    ("read_need_history_api",    NO,     NO,     OK,     NO,           OK,   NO,         OK),
    ("download_decree",          NO,     NO,     NO,     NO,           OK,   NO,         OK),
]  # fmt: skip

CASES = [
    pytest.param(action, role, expected, id=f"{action}-{role}")
    for action, *row in MATRIX
    for role, expected in zip(ROLES, row, strict=True)
]


@dataclass
class World:
    neighborhood: Neighborhood
    free_neighborhood: Neighborhood
    board: TrusteeBoard
    report: NeedReport
    seat: Trusteeship
    admin_client: Client
    users: dict


@pytest.fixture
def world(district, neighborhood, board, trustee, other_trustee, report, citizen, district_staff,
          other_district_staff, city_admin):  # fmt: skip
    seat = factories.TrusteeshipFactory(board=board, decree_file=factories_pdf())
    admin_client = Client()
    admin_client.force_login(city_admin, backend="accounts.backends.PhoneOrEmailBackend")
    return World(
        neighborhood=neighborhood,
        free_neighborhood=factories.NeighborhoodFactory(area=neighborhood.area),
        board=board,
        report=report,
        seat=seat,
        admin_client=admin_client,
        users={
            "anonymous": None,
            "citizen": citizen,
            "trustee": trustee,
            "other_trustee": other_trustee,
            "staff": district_staff,
            "other_staff": other_district_staff,
            "city_admin": city_admin,
        },
    )


def factories_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("d.pdf", PDF, content_type="application/pdf")


def _jalali(days_from_today: int) -> str:
    from core.forms import format_jalali_date

    return format_jalali_date(timezone.localdate() + dt.timedelta(days=days_from_today))


# --- the actions: each returns (response, whether the write or read happened) -------------
def file_need_page(w: World, client):
    before = NeedReport.objects.count()
    response = client.post(
        f"/neighborhoods/{w.neighborhood.pk}/needs/new/",
        {"category": "roads", "title": "چاله", "description": "چاله بزرگ در کوچه"},
    )
    return response, NeedReport.objects.count() == before + 1


def file_need_api(w: World, client):
    before = NeedReport.objects.count()
    response = client.post(
        "/api/v1/need-reports/",
        {"neighborhood": w.neighborhood.pk, "category": "gas", "title": "بوی گاز", "description": "در کوچه"},
        format="json",
    )
    return response, NeedReport.objects.count() == before + 1


def _referred(w: World) -> bool:
    w.report.refresh_from_db()
    return w.report.status == NeedStatus.REFERRED


def change_status_page(w: World, client):
    response = client.post(f"/needs/{w.report.pk}/status/", {"status": "referred", "agency": "آبفا", "note": "-"})
    return response, _referred(w)


def change_status_api(w: World, client):
    response = client.post(
        f"/api/v1/need-reports/{w.report.pk}/status/", {"status": "referred", "agency": "آبفا"}, format="json"
    )
    return response, _referred(w)


def change_status_admin(w: World, client):
    url = f"/admin/neighborhoods/needreport/{w.report.pk}/change/"
    data = admin_form_data(w.admin_client, url) | {"status": "referred", "agency": "آبفا", "note": "ارجاع"}
    return client.post(url, data), _referred(w)


def add_board_admin(w: World, client):
    url = "/admin/neighborhoods/trusteeboard/add/"
    data = admin_form_data(w.admin_client, url) | {
        "neighborhood": str(w.free_neighborhood.pk),
        "formed_on": "۱۴۰۲/۰۱/۱۵",
    }
    response = client.post(url, data)
    return response, TrusteeBoard.objects.filter(neighborhood=w.free_neighborhood).exists()


def edit_board_admin(w: World, client):
    url = f"/admin/neighborhoods/trusteeboard/{w.board.pk}/change/"
    data = admin_form_data(w.admin_client, url) | {"formed_on": "1401/07/01"}
    response = client.post(url, data)
    w.board.refresh_from_db()
    return response, w.board.formed_on == dt.date(2022, 9, 23)


def _trusteeship_fields(prefix: str = "") -> dict:
    return {
        f"{prefix}member_name": "عضو تازه",
        f"{prefix}category": "education",
        f"{prefix}decree_number": "۱۲۳/د",
        f"{prefix}decree_date": _jalali(-3),
        f"{prefix}decree_issuer": "شهردار منطقه",
        f"{prefix}term_start": _jalali(-1),
        f"{prefix}term_end": _jalali(4 * 365),
    }


def add_trusteeship_admin(w: World, client):
    url = "/admin/neighborhoods/trusteeship/add/"
    data = admin_form_data(w.admin_client, url) | {"board": str(w.board.pk)} | _trusteeship_fields()
    response = client.post(url, data)
    return response, Trusteeship.objects.filter(member_name="عضو تازه").exists()


def edit_trusteeship_admin(w: World, client):
    url = f"/admin/neighborhoods/trusteeship/{w.seat.pk}/change/"
    data = admin_form_data(w.admin_client, url) | {"decree_number": "999/ج"}
    response = client.post(url, data)
    w.seat.refresh_from_db()
    return response, w.seat.decree_number == "999/ج"


def add_member_on_board_admin(w: World, client):
    url = f"/admin/neighborhoods/trusteeboard/{w.board.pk}/change/"
    data = admin_form_data(w.admin_client, url)
    index = int(data["trusteeships-TOTAL_FORMS"])
    data |= {"trusteeships-TOTAL_FORMS": str(index + 1)} | _trusteeship_fields(f"trusteeships-{index}-")
    response = client.post(url, data)
    return response, Trusteeship.objects.filter(board=w.board, member_name="عضو تازه").exists()


def edit_neighborhood_admin(w: World, client):
    url = f"/admin/places/neighborhood/{w.neighborhood.pk}/change/"
    data = admin_form_data(w.admin_client, url) | {"name": "نام تازه"}
    response = client.post(url, data)
    w.neighborhood.refresh_from_db()
    return response, w.neighborhood.name == "نام تازه"


def read_need_history_api(w: World, client):
    response = client.get(f"/api/v1/need-reports/{w.report.pk}/history/")
    return response, response.status_code == 200


def download_decree(w: World, client):
    response = client.get(f"/trusteeships/{w.seat.pk}/decree/")
    ok = response.status_code == 200 and b"".join(response.streaming_content).startswith(b"%PDF")
    return response, ok


@pytest.mark.django_db
@pytest.mark.parametrize(("action", "role", "expected"), CASES)
def test_role_action_matrix(world, action, role, expected):
    client = APIClient() if action.endswith("_api") else Client()
    user = world.users[role]
    if user is not None:
        client.force_login(user, backend="accounts.backends.PhoneOrEmailBackend")
    response, happened = globals()[action](world, client)
    assert response.status_code < 500
    assert happened is expected, (response.status_code, getattr(response, "content", b"")[:600])
    if expected:
        return
    # Refusals are explicit: a login redirect, 401/403, or the admin's "not found / not allowed".
    if action.endswith("_api"):
        assert response.status_code in (401, 403)
    elif action.endswith("_admin"):
        assert response.status_code in (200, 302, 403)
        if response.status_code == 302 and role in {"anonymous", "citizen", "trustee", "other_trustee"}:
            assert response["Location"].startswith("/admin/login/")
    elif role == "anonymous":
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 403
