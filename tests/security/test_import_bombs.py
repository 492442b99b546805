"""Small files that unpack or stream into huge work are refused quickly, in bounded memory, in Persian."""

from __future__ import annotations

import io
import time
import tracemalloc
import zipfile
from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from projects.models import Project

pytestmark = pytest.mark.django_db

IMPORT_URL = "/admin/projects/project/import/"
SHEET = "xl/worksheets/sheet1.xml"
HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>'
    '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    '<row r="1"><c r="A1" t="inlineStr"><is><t>title</t></is></c></row>'
)
TAIL = "</sheetData></worksheet>"


def _xlsx_with_sheet(write_sheet) -> bytes:
    """A real workbook whose first sheet is replaced by what ``write_sheet`` streams into the zip."""
    workbook = Workbook()
    plain = io.BytesIO()
    workbook.save(plain)
    out = io.BytesIO()
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as bomb:
        for entry in source.infolist():
            if entry.filename == SHEET:
                with bomb.open(SHEET, "w", force_zip64=True) as sheet:
                    write_sheet(sheet)
            else:
                bomb.writestr(entry, source.read(entry))
    return out.getvalue()


def _text_bomb() -> bytes:
    """Under a megabyte on disk, 300 MB of text in one cell once unpacked."""

    def write(sheet):
        sheet.write(HEAD.encode() + b'<row r="2"><c r="A2" t="inlineStr"><is><t>')
        chunk = b"a" * (1024 * 1024)
        for _ in range(300):
            sheet.write(chunk)
        sheet.write(b"</t></is></c></row>" + TAIL.encode())

    return _xlsx_with_sheet(write)


def _blank_rows_bomb() -> bytes:
    """Two million rows, all blank but the last, in a few kilobytes."""

    def write(sheet):
        sheet.write(HEAD.encode())
        sheet.write(b'<row r="2000000"><c r="A2000000" t="inlineStr"><is><t>late</t></is></c></row>')
        sheet.write(TAIL.encode())

    return _xlsx_with_sheet(write)


def _measure(run) -> tuple[object, float, int]:
    tracemalloc.start()
    started = time.monotonic()
    try:
        outcome = run()
    finally:
        elapsed = time.monotonic() - started
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return outcome, elapsed, peak


def _post(client, district, name: str, data: bytes):
    upload = SimpleUploadedFile(name, data)
    return client.post(IMPORT_URL, {"city": district.city.pk, "file": upload})


def _command(tmp_path, district, name: str, data: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(data)
    err = StringIO()
    with pytest.raises(CommandError) as failure:
        call_command("import_projects", str(path), "--city", district.city.slug, stdout=StringIO(), stderr=err)
    return err.getvalue() + str(failure.value)


@pytest.mark.parametrize(
    ("name", "build", "message"),
    [
        ("bomb.xlsx", _text_bomb, "بیش از ۱۰۰ مگابایت"),
        ("rows.xlsx", _blank_rows_bomb, "هیچ ردیف پروژه"),
        ("rows.csv", lambda: b"title\n" + b"\n" * 2_000_000 + "دیر\n".encode(), "هیچ ردیف پروژه"),
        ("big.csv", lambda: b"title\n" + ("پروژه\n" * 1_000_000).encode(), "بزرگ‌تر از ۱۰ مگابایت"),
    ],
)
def test_bombs_are_refused_quickly_in_bounded_memory(name, build, message, client_for, city_admin, district, tmp_path):
    data = build()
    assert len(data) < 12 * 1024 * 1024
    client = client_for(city_admin)
    response, elapsed, peak = _measure(lambda: _post(client, district, name, data))
    assert response.status_code in (200, 400)
    assert message in response.content.decode()
    assert elapsed < 5, elapsed
    assert peak < 40 * 1024 * 1024 + 2 * len(data), peak
    text, elapsed, peak = _measure(lambda: _command(tmp_path, district, name, data))
    assert message in text
    assert elapsed < 5, elapsed
    assert peak < 40 * 1024 * 1024 + 2 * len(data), peak
    assert not Project.objects.exists()


def test_rows_past_the_cap_are_refused_while_streaming(client_for, city_admin, district, settings):
    settings.PROJECT_IMPORT_MAX_ROWS = 50
    data = ("title\n" + "پروژه\n" * 5000).encode()
    response = _post(client_for(city_admin), district, "many.csv", data)
    assert "حداکثر ۵۰ ردیف" in response.content.decode()
    assert not Project.objects.exists()


def test_geography_csv_bombs_are_refused(tmp_path, settings):
    settings.IMPORT_MAX_FILE_BYTES = 1024 * 1024
    path = tmp_path / "geo.csv"
    path.write_bytes(b"city,district_number,area,neighborhood\n" + b"qods,1,a,b\n" * 200_000)
    err = StringIO()
    with pytest.raises(CommandError):
        call_command("import_geography", str(path), stdout=StringIO(), stderr=err)
    assert "بزرگ‌تر از ۱ مگابایت" in err.getvalue()
    path.write_bytes(b"city,district_number,area,neighborhood\n" + b"\n" * 900_000 + b"qods,1,a,b\n")
    started = time.monotonic()
    with pytest.raises(CommandError):
        call_command("import_geography", str(path), stdout=StringIO(), stderr=err)
    assert time.monotonic() - started < 5
