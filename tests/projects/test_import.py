import csv
import datetime as dt
import io
import time

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from core.models import AuditEntry
from projects.importing import project_import
from projects.models import PhaseChange, Project
from projects.services import project_create
from tests import factories

pytestmark = pytest.mark.django_db

HEADER = ["title", "description", "category", "district", "neighborhood", "budget", "phase", "start_date", "end_date"]


@pytest.fixture
def hoods(district):
    area = factories.AreaFactory(district=district)
    return [factories.NeighborhoodFactory(area=area, name=f"محله آزمون {i}") for i in range(5)]


def _rows(district, hoods, count: int) -> list[list]:
    rows = []
    for i in range(count):
        rows.append(
            [
                f"پروژه شماره {i}",
                "شرح <b>کوتاه</b>",
                ["green_space", "فضای سبز", "Sport", "سلامت"][i % 4],
                district.number,
                hoods[i % len(hoods)].name.replace("ی", "ي"),  # Arabic yeh still matches
                f"{(i + 1) * 1000:,}",
                ["proposed", "در حال اجرا", "Completed"][i % 3],
                ["1403/05/12", "۱۴۰۳/۰۶/۰۱", "2024-08-02"][i % 3],
                "1404/01/15",
            ]
        )
    return rows


def _csv(rows, header=HEADER) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8-sig")


def _xlsx(rows, header=HEADER) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def test_a_2500_row_csv_imports_in_one_go(district, hoods, city_admin):
    started = time.monotonic()
    result = project_import(
        actor=city_admin, city=district.city, data=_csv(_rows(district, hoods, 2500)), filename="p.csv"
    )
    elapsed = time.monotonic() - started
    assert result.ok, result.errors[:3]
    assert result.created == 2500 == Project.objects.count()
    assert PhaseChange.objects.count() == 2500
    assert AuditEntry.objects.filter(action="project.created").count() == 2500
    assert Project.neighborhoods.through.objects.count() == 2500
    first = Project.objects.get(title="پروژه شماره 0")
    assert first.start_date == dt.date(2024, 8, 2) and first.end_date == dt.date(2025, 4, 4)
    assert first.budget == 1000 and first.category == "green_space"
    assert Project.objects.get(title="پروژه شماره 2").progress == 100  # completed
    assert Project.objects.filter(search_text__contains="شماره 1").exists()
    assert elapsed < 60


def test_an_xlsx_imports_with_persian_headers_and_spreadsheet_dates(district, hoods):
    header = ["عنوان", "محله", "بودجه", "تاریخ شروع", "مرحله"]
    rows = [
        ["کتابخانه", hoods[0].name, 2500000, dt.datetime(2024, 8, 2), "تصویب‌شده"],
        ["پارک", hoods[1].name, 0, None, None],
    ]
    result = project_import(actor=None, city=district.city, data=_xlsx(rows, header), filename="p.xlsx")
    assert result.ok, result.errors
    library = Project.objects.get(title="کتابخانه")
    assert library.start_date == dt.date(2024, 8, 2) and library.phase == "approved" and library.budget == 2_500_000


def test_imported_text_is_cleaned_and_audited_like_a_single_create(client, district, hoods, district_staff):
    """A right-to-left override in a title never reaches the public page, and each project is on record."""
    rows = _rows(district, hoods, 3)
    rows[0][0] = "پروژه \u202egpj.exe\u202c آزمایشی"
    rows[1][1] = "توضیح \u2066پنهان\u2069"
    result = project_import(actor=district_staff, city=district.city, data=_csv(rows), filename="p.csv")
    assert result.ok, result.errors
    imported = Project.objects.get(title_normalized__startswith="پروژه gpj")
    assert imported.title == "پروژه gpj.exe آزمایشی"
    assert Project.objects.get(description__startswith="توضیح").description == "توضیح پنهان"
    page = client.get(f"/projects/{imported.pk}/").content.decode()
    assert "پروژه gpj.exe آزمایشی" in page and "\u202e" not in page

    single = project_create(actor=district_staff, title="پروژه تکی", district=district, neighborhoods=[hoods[0]])
    single_entry = AuditEntry.objects.get(target_id=single.pk, action="project.created")
    entries = AuditEntry.objects.filter(target_id__in=Project.objects.exclude(pk=single.pk).values("pk"))
    assert sorted(entries.values_list("target_id", flat=True)) == sorted(
        Project.objects.exclude(pk=single.pk).values_list("pk", flat=True)
    )
    assert set(entries.values_list("action", "actor_id")) == {(single_entry.action, district_staff.pk)}
    assert entries.get(target_id=imported.pk).target_repr == imported.title
    assert set(PhaseChange.objects.filter(project__in=[imported]).values_list("from_phase", "changed_by")) == {
        ("", district_staff.pk)
    }


def test_one_bad_row_imports_nothing_and_names_the_row(district, hoods):
    rows = _rows(district, hoods, 2500)
    rows[1233][4] = "محله ناموجود"
    data = _csv(rows)
    result = project_import(actor=None, city=district.city, data=data, filename="p.csv")
    assert not result.ok
    assert [(e.row, e.column) for e in result.errors] == [(1235, "neighborhood")]
    assert "ردیف ۱۲۳۵" in str(result.errors[0]) and "محله ناموجود" in str(result.errors[0])
    assert not Project.objects.exists() and not PhaseChange.objects.exists()


@pytest.mark.parametrize(
    ("column", "value", "field"),
    [
        (0, "", "title"),
        (5, "-500", "budget"),
        (5, "دویست", "budget"),
        (7, "1403/13/40", "start_date"),
        (7, "tomorrow", "start_date"),
        (8, "1402/01/01", "end_date"),  # before the start
        (2, "unknown", "category"),
        (6, "paused", "phase"),
    ],
)
def test_each_kind_of_bad_value_is_reported(district, hoods, column, value, field):
    rows = _rows(district, hoods, 3)
    rows[2][column] = value
    result = project_import(actor=None, city=district.city, data=_csv(rows), filename="p.csv")
    assert [(e.row, e.column) for e in result.errors] == [(4, field)]
    assert not Project.objects.exists()


def test_staff_import_only_into_their_districts(district, hoods, other_district_staff):
    result = project_import(
        actor=other_district_staff, city=district.city, data=_csv(_rows(district, hoods, 2)), filename="p.csv"
    )
    assert {e.column for e in result.errors} == {"district"}
    assert not Project.objects.exists()


def test_unreadable_files(district):
    assert project_import(actor=None, city=district.city, data=b"x", filename="p.pdf").errors[0].row == 1
    assert not project_import(actor=None, city=district.city, data=b"name\nx\n", filename="p.csv").ok
    assert not project_import(actor=None, city=district.city, data=b"\xff\xfe", filename="p.csv").ok
    assert not project_import(actor=None, city=district.city, data=b"not a zip", filename="p.xlsx").ok


def test_management_command(tmp_path, district, hoods, capsys):
    good = tmp_path / "good.csv"
    good.write_bytes(_csv(_rows(district, hoods, 5)))
    call_command("import_projects", str(good), "--city", district.city.slug)
    assert Project.objects.count() == 5
    rows = _rows(district, hoods, 3)
    rows[0][5] = "-1"
    bad = tmp_path / "bad.csv"
    bad.write_bytes(_csv(rows))
    with pytest.raises(CommandError):
        call_command("import_projects", str(bad), "--city", district.city.slug)
    assert "ردیف ۲" in capsys.readouterr().err
    assert Project.objects.count() == 5
    with pytest.raises(CommandError):
        call_command("import_projects", str(good), "--city", "nowhere")


def test_admin_import_view(client_for, district_staff, district, hoods):
    client = client_for(district_staff)
    url = "/admin/projects/project/import/"
    assert client.get(url).status_code == 200
    rows = _rows(district, hoods, 4)
    rows[3][0] = ""
    bad = SimpleUploadedFile("p.csv", _csv(rows), content_type="text/csv")
    response = client.post(url, {"city": district.city.pk, "file": bad})
    assert response.status_code == 400 and "ردیف ۵" in response.content.decode()
    assert not Project.objects.exists()
    good = SimpleUploadedFile("p.xlsx", _xlsx(_rows(district, hoods, 4)))
    assert client.post(url, {"city": district.city.pk, "file": good}).status_code == 302
    assert Project.objects.count() == 4
    assert client_for(factories.UserFactory()).get(url).status_code == 302  # citizens go to the admin login


def test_followers_of_the_places_hear_once_per_import_with_the_count(district, hoods, district_staff):
    """A catalogue loaded in bulk is one summary per follower, not one message per project."""
    from notifications.models import Notification
    from notifications.services import subscribe

    by_district = factories.UserFactory(email="d@example.org")
    by_hood = factories.UserFactory(email="h@example.org")
    by_both = factories.UserFactory(email="b@example.org")
    quiet_hood = factories.NeighborhoodFactory(area=hoods[0].area, name="محله بی‌پروژه")
    by_quiet_hood = factories.UserFactory(email="q@example.org")
    elsewhere = factories.UserFactory(email="e@example.org")
    subscribe(user=by_district, target=district)
    subscribe(user=by_hood, target=hoods[0])
    subscribe(user=by_both, target=district)
    subscribe(user=by_both, target=hoods[0])
    subscribe(user=by_quiet_hood, target=quiet_hood)
    subscribe(user=elsewhere, target=factories.DistrictFactory(city=district.city))

    data = _csv(_rows(district, hoods, 12))
    result = project_import(actor=district_staff, city=district.city, data=data, filename="p.csv")
    assert result.ok, result.errors

    for user in (by_district, by_hood, by_both):
        rows = Notification.objects.filter(recipient=user, event="place_projects_imported", channel="in_app")
        assert rows.count() == 1
        assert "۱۲" in rows.get().subject and district.name in rows.get().subject
        assert rows.get().url == f"/projects/?district={district.pk}"
    # Followers of a neighbourhood that got none of the projects, of another district, and the actor: nothing.
    for user in (by_quiet_hood, elsewhere, district_staff):
        assert not Notification.objects.filter(recipient=user).exists()
