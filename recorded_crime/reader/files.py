"""CSV and XLSX files to rows of cell strings, once the file is checked to be what its name says."""

import csv
import io
from pathlib import PurePath

from django.utils.translation import gettext as _

from .records import CrimeFileError, CrimeTable, SourceRow
from .table import header_index, read_crime_table


def detect_format(file_name: str, data: bytes) -> str:
    """'csv' or 'xlsx', checked by name and by content; CrimeFileError otherwise."""
    suffix = PurePath(file_name).suffix.lower()
    if not data:
        raise CrimeFileError([_("The selected file is empty")])
    if suffix == ".xlsx":
        if not data.startswith(b"PK\x03\x04"):
            raise CrimeFileError(
                [_("The selected file is not an Excel workbook, although its name ends in .xlsx")]
            )
        return "xlsx"
    if suffix == ".csv":
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = None
        if text is None or "\x00" in text:
            raise CrimeFileError([_("The selected CSV file must be text saved as UTF-8")])
        return "csv"
    raise CrimeFileError([_("The selected file must be a CSV or XLSX file")])


def csv_rows(text: str) -> list[SourceRow]:
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff"), newline=""))
    rows, next_line = [], 1
    try:
        for cells in reader:
            rows.append(SourceRow(next_line, cells))
            next_line = reader.line_num + 1
    except csv.Error as error:
        raise CrimeFileError(
            [_("Line %(line)d: %(error)s.") % {"line": reader.line_num, "error": error}]
        ) from error
    return rows


def xlsx_rows(data: bytes) -> list[SourceRow]:
    """The rows of the first worksheet that holds the table (workbooks also carry notes sheets)."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds of error for a broken workbook
        raise CrimeFileError([_("The file could not be read as an Excel workbook.")]) from error
    try:
        first = None
        for sheet in workbook.worksheets:
            rows = [
                SourceRow(number, [_cell_text(value) for value in values])
                for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
            ]
            width = max((len(row.cells) for row in rows), default=0)
            rows = [SourceRow(r.number, r.cells + [""] * (width - len(r.cells))) for r in rows]
            first = rows if first is None else first
            if header_index(rows) is not None:
                return rows
        return first or []
    finally:
        workbook.close()


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_crime_file(data: bytes, *, file_name: str, period: str = "") -> CrimeTable:
    file_format = detect_format(file_name, data)
    if file_format == "xlsx":
        return read_crime_table(xlsx_rows(data), unit="row", period=period, file_format="xlsx")
    return read_crime_table(
        csv_rows(data.decode("utf-8-sig")), unit="line", period=period, file_format="csv"
    )
