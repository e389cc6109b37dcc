"""Reading ONS mid-year population estimates by local authority district, single year of age
(Nomis "pestsyoala", in the layout ``code,name,all,0,1,…,89,90+``), and ONS's statistical nearest
neighbours of local authorities (``AREACD,1,…,20``).

All or nothing, as the crime table: any bad row refuses the file with line-numbered errors, and
nothing here touches the database. Only districts of England and Wales are kept (the partnerships'
nations); Scottish and Northern Irish rows are counted and skipped (Northern Ireland's are modelled,
not whole numbers).
"""

import csv
import io
import re
from dataclasses import dataclass

from django.utils.translation import gettext as _

from .records import CrimeFileError

AGES = [str(age) for age in range(90)] + ["90+"]
POPULATION_HEADER = ["code", "name", "all", *AGES]
DISTRICT_CODE = re.compile(r"^[EW]0[6-9]\d{6}$")
OTHER_NATION_CODE = re.compile(r"^[SN]\d{8}$")
ANY_AREA_CODE = re.compile(r"^[EWSN]\d{8}$")
MID_YEAR_IN_NAME = re.compile(r"mid[-_ ]?(\d{4})", re.IGNORECASE)


@dataclass(frozen=True)
class DistrictRecord:
    source_row: int
    code: str
    name: str
    total: int
    ages: list[int]


@dataclass
class PopulationTable:
    districts: list[DistrictRecord]
    skipped_other_nations: int


def mid_year_from_name(file_name: str) -> int | None:
    match = MID_YEAR_IN_NAME.search(file_name)
    return int(match.group(1)) if match else None


def _text(data: bytes) -> str:
    if not data:
        raise CrimeFileError([_("The selected file is empty")])
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise CrimeFileError([_("The selected CSV file must be text saved as UTF-8")]) from error


def _records(text: str):
    reader = csv.reader(io.StringIO(text, newline=""))
    line = 1
    try:
        for cells in reader:
            yield line, cells
            line = reader.line_num + 1
    except csv.Error as error:
        raise CrimeFileError(
            [_("Line %(line)d: %(error)s.") % {"line": reader.line_num, "error": error}]
        ) from error


def _whole(cell: str) -> int | None:
    """'237480.0' or '237,480' is 237480; anything negative, fractional or not a number is None."""
    text = cell.strip().replace(",", "")
    try:
        value = float(text)
    except ValueError:
        return None
    if value < 0 or not value.is_integer():
        return None
    return int(value)


def read_population_file(data: bytes) -> PopulationTable:
    records = list(_records(_text(data)))
    if not records or [c.strip().lower() for c in records[0][1]] != POPULATION_HEADER:
        raise CrimeFileError(
            [
                _(
                    "Line 1: the header must be code, name, all, then one column for each age "
                    "from 0 to 89 and 90+."
                )
            ]
        )
    districts, errors, seen, skipped = [], [], {}, 0
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) != len(POPULATION_HEADER):
            errors.append(
                _("Line %(line)d: expected %(width)d values, found %(found)d.")
                % {"line": line, "width": len(POPULATION_HEADER), "found": len(cells)}
            )
            continue
        code, name = cells[0].strip(), cells[1].strip()
        if OTHER_NATION_CODE.match(code):
            skipped += 1
            continue
        if not DISTRICT_CODE.match(code):
            errors.append(
                _("Line %(line)d: '%(code)s' is not a local authority district code.")
                % {"line": line, "code": code}
            )
            continue
        if code in seen:
            errors.append(
                _("Line %(line)d: %(code)s is already on line %(first)d.")
                % {"line": line, "code": code, "first": seen[code]}
            )
            continue
        seen[code] = line
        numbers = [_whole(cell) for cell in cells[2:]]
        bad = [POPULATION_HEADER[index + 2] for index, value in enumerate(numbers) if value is None]
        if bad:
            errors.append(
                _("Line %(line)d: %(columns)s must be whole numbers of residents.")
                % {"line": line, "columns": ", ".join(bad[:5]) + ("…" if len(bad) > 5 else "")}
            )
            continue
        total, ages = numbers[0], numbers[1:]
        if sum(ages) != total:
            errors.append(
                _("Line %(line)d: 'all' is %(total)d but the ages add up to %(sum)d.")
                % {"line": line, "total": total, "sum": sum(ages)}
            )
            continue
        districts.append(DistrictRecord(line, code, name or code, total, ages))
    if not districts and not errors:
        errors.append(_("The file has no districts of England or Wales."))
    if errors:
        raise CrimeFileError(errors)
    return PopulationTable(districts=districts, skipped_other_nations=skipped)


def read_neighbours_file(data: bytes) -> list[tuple[int, str, list[str]]]:
    """Each area's code and its nearest neighbours' codes, nearest first, with its line."""
    records = list(_records(_text(data)))
    header = [c.strip().upper() for c in records[0][1]] if records else []
    if not header or header[0] != "AREACD" or not all(c.isdigit() for c in header[1:]):
        raise CrimeFileError(
            [_("Line 1: the header must be AREACD, then the neighbours' ranks 1, 2, 3 and so on.")]
        )
    rows, errors, seen = [], [], {}
    for line, cells in records[1:]:
        if not any(cell.strip() for cell in cells):
            continue
        codes = [cell.strip() for cell in cells]
        bad = [code for code in codes if code and not ANY_AREA_CODE.match(code)]
        if len(cells) != len(header) or bad or not codes[0]:
            errors.append(
                _("Line %(line)d: expected an area code and %(count)d neighbours' codes.")
                % {"line": line, "count": len(header) - 1}
            )
            continue
        if codes[0] in seen:
            errors.append(
                _("Line %(line)d: %(code)s is already on line %(first)d.")
                % {"line": line, "code": codes[0], "first": seen[codes[0]]}
            )
            continue
        seen[codes[0]] = line
        rows.append((line, codes[0], [code for code in codes[1:] if code]))
    if not rows and not errors:
        errors.append(_("The file has a header but no rows."))
    if errors:
        raise CrimeFileError(errors)
    return rows
