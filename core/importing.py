"""Reading uploaded tables (CSV, XLSX) within limits, and checking each cell against the model field it fills.

Every importer reads through ``read_table``: the file's size, an XLSX file's
unpacked size and entry count are checked before anything is parsed; rows are
streamed (openpyxl read-only), capped, and reading stops after a run of blank
rows, so a small file cannot hold the web worker for minutes or gigabytes.
``check_cell`` then refuses, per cell, what the model field would refuse
(length, digits, range, validators) before anything is written. The limits are
settings (``IMPORT_*``, docs/projects-import.md).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.translation import gettext as _

from core.persian import format_number, to_ascii_digits


class ImportFileError(ValueError):
    """The file as a whole cannot be read (type, size, encoding, too many rows)."""


class CellError(ValueError):
    """One cell cannot fill its column; the message says why."""


@dataclass(frozen=True)
class Limits:
    max_bytes: int
    max_unpacked_bytes: int
    max_rows: int
    max_blank_rows: int
    max_cell_chars: int


def limits(*, max_rows: int) -> Limits:
    return Limits(
        max_bytes=int(getattr(settings, "IMPORT_MAX_FILE_BYTES", 10 * 1024 * 1024)),
        max_unpacked_bytes=int(getattr(settings, "IMPORT_MAX_UNPACKED_BYTES", 100 * 1024 * 1024)),
        max_rows=max_rows,
        max_blank_rows=int(getattr(settings, "IMPORT_MAX_BLANK_ROWS", 1000)),
        max_cell_chars=int(getattr(settings, "IMPORT_MAX_CELL_CHARS", 10_000)),
    )


def _megabytes(size: int) -> str:
    return format_number(max(1, round(size / (1024 * 1024))))


def check_size(size: int, limit: Limits) -> None:
    """Refuse a file over the byte limit before it is read into memory."""
    if size > limit.max_bytes:
        raise ImportFileError(_("The file is larger than %(max)s MB; split it.") % {"max": _megabytes(limit.max_bytes)})


# --- reading ------------------------------------------------------------------
def read_table(data: bytes, filename: str, limit: Limits, *, delimiter: str | None = None) -> Iterator[list]:
    """Yield the header and then each row as a list of cells; blank rows are yielded as ``[]``.

    Raises ``ImportFileError`` before parsing for a file too large or not a
    table, and while streaming once the data rows pass ``limit.max_rows``. A CSV
    file's delimiter is guessed unless ``delimiter`` is given.
    """
    check_size(len(data), limit)
    name = filename.lower()
    if name.endswith(".xlsx"):
        _check_zip(data, limit)
        rows = _xlsx_rows(data)
    elif name.endswith((".csv", ".txt")):
        rows = _csv_rows(data, limit, delimiter)
    else:
        raise ImportFileError(_("Upload a .csv or .xlsx file."))
    return _capped(rows, limit)


def _is_blank(values: list) -> bool:
    return not any(str(v).strip() for v in values if v is not None)


def _capped(rows: Iterator[list], limit: Limits) -> Iterator[list]:
    blanks = data_rows = 0
    for index, values in enumerate(rows):
        if index == 0:
            yield values
            continue
        if _is_blank(values):
            blanks += 1
            if blanks >= limit.max_blank_rows:
                return  # the data has ended; spreadsheets pad with blank rows
            yield []
            continue
        blanks = 0
        data_rows += 1
        if data_rows > limit.max_rows:
            raise ImportFileError(
                _("Too many rows: at most %(max)s per file.") % {"max": format_number(limit.max_rows)}
            )
        yield values


def _csv_rows(data: bytes, limit: Limits, delimiter: str | None) -> Iterator[list]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(_("Save the CSV file as UTF-8.")) from None
    # A long cell is reported against its column by check_cell, not as an unreadable file.
    csv.field_size_limit(max(csv.field_size_limit(), limit.max_bytes + 1))
    try:
        dialect = csv.Sniffer().sniff(text[:4096], delimiters=delimiter or ",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text, newline=""), dialect)
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise ImportFileError(
                _("The CSV file cannot be read at line %(line)s.") % {"line": format_number(reader.line_num)}
            ) from None


def _check_zip(data: bytes, limit: Limits) -> None:
    """An XLSX file is a zip: refuse one that unpacks past the limit before openpyxl opens it."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise ImportFileError(_("The spreadsheet could not be read.")) from None
    if len(entries) > 1000 or sum(entry.file_size for entry in entries) > limit.max_unpacked_bytes:
        raise ImportFileError(
            _("The spreadsheet unpacks to more than %(max)s MB; save only the data you import.")
            % {"max": _megabytes(limit.max_unpacked_bytes)}
        )


def _xlsx_rows(data: bytes) -> Iterator[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # noqa: BLE001 - openpyxl raises many kinds for a bad file
        raise ImportFileError(_("The spreadsheet could not be read.")) from exc
    try:
        rows = workbook.worksheets[0].iter_rows(values_only=True)
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except Exception as exc:  # noqa: BLE001 - a broken sheet part surfaces while streaming
                raise ImportFileError(_("The spreadsheet could not be read.")) from exc
            yield list(row)
    except IndexError:
        raise ImportFileError(_("The spreadsheet could not be read.")) from None
    finally:
        workbook.close()


# --- one cell -------------------------------------------------------------------
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?", re.ASCII)
NUMERIC_FIELDS = (models.IntegerField, models.DecimalField, models.FloatField)


def cell_text(value: object) -> str:
    """A cell as text: spreadsheet whole numbers lose their ``.0``."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value)


def _messages(exc: ValidationError) -> str:
    return " ".join(str(message) for message in exc.messages)


def check_cell(field: models.Field, value: object, limit: Limits) -> object:
    """Check one cell against the field it fills; return the number for a numeric field, else the text.

    Persian and Arabic-Indic digits are read as digits; other scripts' digits,
    ``NaN`` and infinities are refused. Raises ``CellError`` with a Persian message.
    """
    if isinstance(value, dt.date) and isinstance(field, models.DateField):
        return value
    if isinstance(value, float) and not math.isfinite(value):
        raise CellError(_("Write a number with Persian or Latin digits."))
    text = cell_text(value)
    if len(text) > limit.max_cell_chars:
        raise CellError(_("The cell is longer than %(max)s characters.") % {"max": format_number(limit.max_cell_chars)})
    if _CONTROL.search(text):
        raise CellError(_("The cell holds a control character (such as NUL); remove it."))
    text = " ".join(text.split()) if not isinstance(field, models.TextField) else text.strip()
    if not text:
        return ""
    if isinstance(field, NUMERIC_FIELDS):
        return _number(field, text)
    ascii_text = to_ascii_digits(text)
    if isinstance(field, models.DateField) and any(c.isdigit() and not c.isascii() for c in ascii_text):
        raise CellError(_("Write dates with Persian or Latin digits."))
    if getattr(field, "max_length", None) and not field.choices:
        try:
            field.run_validators(text)
        except ValidationError as exc:
            raise CellError(_messages(exc)) from None
    return text


def _number(field: models.Field, text: str) -> int | Decimal:
    ascii_text = to_ascii_digits(text).replace("٫", ".").replace("٬", "").replace(",", "").replace(" ", "")
    if not _NUMBER.fullmatch(ascii_text):
        raise CellError(_("Write a number with Persian or Latin digits."))
    number = Decimal(ascii_text)
    if isinstance(field, models.IntegerField):
        if number != number.to_integral_value():
            raise CellError(_("Write a whole number."))
        value: int | Decimal = int(number)
    elif isinstance(field, models.DecimalField):
        try:
            value = number.quantize(Decimal(1).scaleb(-field.decimal_places), context=Context(prec=100))
        except InvalidOperation:
            raise CellError(_("The number is too large.")) from None
    else:
        value = number
    try:
        field.run_validators(value)
    except ValidationError as exc:
        raise CellError(_messages(exc)) from None
    # The column's range on every database, SQLite included (which does not enforce it).
    low, high = BaseDatabaseOperations.integer_field_ranges.get(field.get_internal_type(), (None, None))
    if low is not None and not low <= value <= high:
        raise CellError(
            _("The number must be from %(min)s to %(max)s.") % {"min": format_number(low), "max": format_number(high)}
        )
    return value
