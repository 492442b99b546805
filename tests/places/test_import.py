from __future__ import annotations

from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from core.audit import history
from core.models import AuditEntry
from core.persian import to_persian_digits
from places.models import Area, District, Neighborhood
from tests import factories

HEADER = "city,district_number,district_name,area,neighborhood,latitude,longitude\n"
VALID = HEADER + (
    "qods,1,منطقه ۱,ناحیه ۱,گلستان,35.7001,51.3002\n"
    "qods,1,منطقه ۱,ناحیه ۱,بهار,,\n"
    "qods,۱,,ناحیه ۲,نارون,۳۵٫۷۱,۵۱٫۳۱\n"
    "qods,2,منطقه ۲,ناحیه ۱,یاس,,\n"
)


@pytest.fixture
def city(db):
    return factories.CityFactory(name="شهر قدس", slug="qods")


def run(tmp_path, text: str, *args: str, encoding: str = "utf-8") -> tuple[str, str]:
    path = tmp_path / "geography.csv"
    path.write_bytes(text.encode(encoding))
    out, err = StringIO(), StringIO()
    call_command("import_geography", str(path), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def snapshot():
    return (
        sorted(District.objects.values_list("city__slug", "number", "name")),
        sorted(Area.objects.values_list("district__number", "name")),
        sorted(Neighborhood.objects.values_list("district__number", "area__name", "name", "latitude", "longitude")),
    )


@pytest.mark.django_db
def test_valid_file_imports_the_whole_tree(tmp_path, city):
    out, err = run(tmp_path, VALID)
    assert err == ""
    assert District.objects.filter(city=city).count() == 2
    assert Area.objects.filter(district__city=city).count() == 3
    places = {n.name: n for n in Neighborhood.objects.select_related("area", "district")}
    assert set(places) == {"گلستان", "بهار", "نارون", "یاس"}
    assert places["گلستان"].latitude == Decimal("35.700100")
    assert places["نارون"].area.name == "ناحیه ۲" and places["نارون"].district.number == 1
    assert places["نارون"].longitude == Decimal("51.310000")  # Persian digits and decimal mark
    assert "4" in out or "۴" in out
    entry = AuditEntry.objects.get(action="geography.imported")
    assert entry.changes["neighborhoods_created"] == 4


@pytest.mark.django_db
def test_each_imported_place_is_on_record_as_a_save_in_the_admin_leaves_it(tmp_path, city, client_for):
    run(tmp_path, HEADER + "qods,1,منطقه \u202eیک,ناحیه ۱,گلستان\u2066,,\n")
    district = District.objects.get(city=city, number=1)
    place = Neighborhood.objects.get()
    assert (district.name, place.name) == ("منطقه یک", "گلستان")
    assert [e.action for e in history(district)] == ["district.created"]
    assert [e.action for e in history(place.area)] == ["area.created"]
    assert [(e.action, e.target_repr) for e in history(place)] == [("neighborhood.created", "گلستان")]

    # The same neighbourhood added by hand in the admin leaves an entry of the same name.
    admin = factories.UserFactory(role="city_admin", staff_city=city, is_staff=True)
    response = client_for(admin).post(
        "/admin/places/neighborhood/add/",
        {"area": place.area_id, "name": "بهار", "house-TOTAL_FORMS": "0", "house-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    by_hand = Neighborhood.objects.get(name="بهار")
    assert [(e.action, e.actor_id) for e in history(by_hand)] == [("neighborhood.created", admin.pk)]
    # And it records the same kind of changes: every field, from nothing.
    [imported_entry] = history(place)
    [admin_entry] = history(by_hand)
    assert set(imported_entry.changes) == set(admin_entry.changes)
    assert imported_entry.changes["name"] == ["", "گلستان"]
    assert admin_entry.changes["name"] == ["", "بهار"]


@pytest.mark.django_db
def test_running_again_updates_instead_of_duplicating(tmp_path, city):
    run(tmp_path, VALID)
    first = snapshot()
    run(tmp_path, VALID)
    assert snapshot() == first
    # An updated list: a new spelling with Arabic letters, moved area, new coordinates, a renamed district.
    updated = HEADER + (
        "qods,1,منطقهٔ یک,ناحیه ۲,گلستان,35.8,51.4\n"
        "qods,1,,ناحیه ۱,بهار,,\n"
        "qods,1,,ناحیه ۲,نارون,,\n"
        "qods,2,,ناحیه ۱,ياس,,\n"
    )
    out, _err = run(tmp_path, updated)
    assert Neighborhood.objects.count() == 4
    assert District.objects.get(city=city, number=1).name == "منطقهٔ یک"
    golestan = Neighborhood.objects.get(name="گلستان")
    assert golestan.area.name == "ناحیه ۲" and golestan.latitude == Decimal("35.800000")
    assert Neighborhood.objects.get(name_normalized="یاس").name == "ياس"
    # An empty coordinate keeps the one on record.
    assert Neighborhood.objects.get(name="نارون").latitude == Decimal("35.710000")


@pytest.mark.django_db
def test_a_bad_row_imports_nothing_and_names_its_row(tmp_path, city):
    bad = VALID + "qods,3,منطقه ۳,ناحیه ۱,لاله,200,51\n"  # row 6: latitude out of range
    with pytest.raises(CommandError) as excinfo:
        run(tmp_path, bad)
    assert "1" in str(excinfo.value) or "۱" in str(excinfo.value)
    assert District.objects.count() == 0 and Neighborhood.objects.count() == 0


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("rows", "row", "words"),
    [
        # unknown parent: a city that is not on the portal
        ("kashan,1,منطقه ۱,ناحیه ۱,گلستان,,\n", 2, "kashan"),
        # unknown parent: a district with no name that does not exist yet
        ("qods,1,منطقه ۱,ناحیه ۱,گلستان,,\nqods,7,,ناحیه ۱,بهار,,\n", 3, "7"),
        # duplicate after normalisation: ی/ي, ک/ك, ZWNJ and spacing
        ("qods,1,منطقه ۱,ناحیه ۱,نیک‌آباد  ۲,,\nqods,1,,ناحیه ۲,نيكآباد 2,,\n", 3, "2"),
        # one district number, two names
        ("qods,1,منطقه ۱,ناحیه ۱,گلستان,,\nqods,1,منطقه اول,ناحیه ۱,بهار,,\n", 3, "منطقه اول"),
        # two district numbers, one name
        ("qods,1,منطقه ۱,ناحیه ۱,گلستان,,\nqods,2,منطقه ۱,ناحیه ۱,بهار,,\n", 3, "منطقه ۱"),
        # empty required value and a bad number
        ("qods,1,منطقه ۱,,گلستان,,\n", 2, "area"),
        ("qods,x,منطقه ۱,ناحیه ۱,گلستان,,\n", 2, "رقم"),
        ("qods,1000,منطقه ۱,ناحیه ۱,گلستان,,\n", 2, "۹۹۹"),
    ],
)
def test_each_kind_of_bad_row_is_reported_with_its_row_number(tmp_path, city, rows, row, words):
    path = tmp_path / "bad.csv"
    path.write_text(HEADER + rows)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_geography", str(path), stdout=StringIO(), stderr=err)
    reported = [line for line in err.getvalue().splitlines() if line.startswith(f"ردیف {to_persian_digits(row)}:")]
    assert reported and any(words in line for line in reported), err.getvalue()
    assert District.objects.count() == 0
    assert Neighborhood.objects.count() == 0


@pytest.mark.django_db
def test_errors_are_listed_per_row_in_persian(tmp_path, city):
    path = tmp_path / "bad.csv"
    path.write_text(
        HEADER + "qods,1,منطقه ۱,ناحیه ۱,گلستان,,\nkashan,1,منطقه ۱,ناحیه ۱,بهار,,\nqods,1,,ناحیه ۱,گلستان,,\n"
    )
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_geography", str(path), stdout=StringIO(), stderr=err)
    lines = err.getvalue().splitlines()
    assert len(lines) == 2
    assert lines[0].startswith("ردیف ۳:") and "kashan" in lines[0]
    assert lines[1].startswith("ردیف ۴:") and "گلستان" in lines[1] and "2" in lines[1]


@pytest.mark.django_db
def test_missing_columns_are_named(tmp_path, city):
    err = StringIO()
    path = tmp_path / "cols.csv"
    path.write_text("city,district_number,neighborhood\nqods,1,گلستان\n")
    with pytest.raises(CommandError):
        call_command("import_geography", str(path), stdout=StringIO(), stderr=err)
    assert "ردیف ۱:" in err.getvalue() and "area" in err.getvalue()
    assert Neighborhood.objects.count() == 0


@pytest.mark.django_db
def test_persian_headers_and_a_spreadsheet_bom_are_understood(tmp_path, city):
    text = "\ufeffشهر,شماره منطقه,نام منطقه,ناحیه,محله\nشهر قدس,1,منطقه ۱,ناحیه ۱,گلستان\n"
    run(tmp_path, text)
    assert Neighborhood.objects.get().name == "گلستان"


@pytest.mark.django_db
def test_a_file_that_is_not_utf8_is_refused(tmp_path, city):
    with pytest.raises(CommandError):
        run(tmp_path, HEADER + "qods,1,منطقه ۱,ناحیه ۱,گلستان,,\n", encoding="utf-16")
    assert Neighborhood.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_checks_but_writes_nothing(tmp_path, city):
    out, _err = run(tmp_path, VALID, "--dry-run")
    assert Neighborhood.objects.count() == 0 and District.objects.count() == 0
    assert out


@pytest.mark.django_db
def test_existing_districts_may_be_referred_to_by_number_alone(tmp_path, city):
    district = factories.DistrictFactory(city=city, number=5, name="منطقه ۵")
    run(tmp_path, HEADER + "qods,5,,ناحیه ۱,گلستان,,\n")
    assert Neighborhood.objects.get().district == district
    assert District.objects.get(pk=district.pk).name == "منطقه ۵"
