"""The one parser: rows of cell strings (from either format) to a checked table, or every problem
with its row number."""

import re
from collections.abc import Iterable

from django.utils.translation import gettext as _

from ..models import AreaKind
from ..offences import BY_KEY, OFFENCE_GROUPS, OFFENCE_KEYS
from .forces import attribute_forces, check_force_totals, tidy_force_name
from .period import parse_period
from .records import AreaRecord, CrimeFileError, CrimeTable, SourceRow

FORCE_CODE = re.compile(r"^(?:E23|W15)\d{6}$")
CSP_CODE = re.compile(r"^(?:E22|W14)\d{6}$")
COUNT = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)$")
UNAVAILABLE = {"", "[x]"}  # "[x] indicates data are unavailable"; blank cells carry nothing either

IDENTITY_HEADINGS = {
    "force_code": "Police Force Area code",
    "force_name": "Police Force Area name",
    "csp_code": "Community Safety Partnership code",
    "csp_name": "Community Safety Partnership name",
    "la_code": "Local Authority code",
    "la_name": "Local Authority name",
}
EXPECTED_HEADINGS = {**IDENTITY_HEADINGS, **{g.key: g.heading for g in OFFENCE_GROUPS}}


def _normalise(heading: str) -> str:
    return " ".join(heading.split()).casefold()


def header_index(rows: list[SourceRow]) -> int | None:
    wanted = _normalise(IDENTITY_HEADINGS["force_code"])
    for index, row in enumerate(rows):
        if any(_normalise(cell) == wanted for cell in row.cells):
            return index
    return None


def read_crime_table(
    rows: Iterable[SourceRow], *, unit: str, period: str = "", file_format: str = "csv"
) -> CrimeTable:
    rows = list(rows)
    where = _where(unit)
    errors: list[str] = []
    warnings: list[str] = []

    header_at = header_index(rows)
    if header_at is None:
        raise CrimeFileError(
            [
                _(
                    "No header row was found: the table should start with a row of column "
                    "headings beginning '%(heading)s'."
                )
                % {"heading": IDENTITY_HEADINGS["force_code"]}
            ]
        )
    header = rows[header_at]

    found_period = None
    for row in rows[:header_at]:
        for cell in row.cells:
            found_period = found_period or parse_period(cell, title=True)
    chosen_period = None
    if period.strip():
        chosen_period = parse_period(period)
        if chosen_period is None:
            errors.append(
                _("The period '%(period)s' is not in the form 'year ending June 2025'.")
                % {"period": period.strip()}
            )
        elif found_period and found_period[1] != chosen_period[1]:
            warnings.append(
                _("The period given, %(given)s, replaces the file title's %(title)s.")
                % {"given": chosen_period[0], "title": found_period[0]}
            )
    else:
        chosen_period = found_period
        if found_period is None:
            errors.append(
                _(
                    "The file's title does not say which period the figures cover; give the "
                    "period, for example 'year ending June 2025'."
                )
            )

    columns = _columns(header, where, errors)
    if columns is None:
        raise CrimeFileError(errors)

    width = max(columns.values()) + 1
    areas: list[AreaRecord] = []
    seen_csp: dict[str, int] = {}
    seen_total: dict[str, int] = {}
    for row in rows[header_at + 1 :]:
        if not any(cell.strip() for cell in row.cells):
            continue
        at = where(row.number)
        if len(row.cells) < width:
            errors.append(
                _("%(where)s: expected %(width)d values, found %(found)d.")
                % {"where": at, "width": width, "found": len(row.cells)}
            )
            continue
        area, row_errors = _area(row, columns, at)
        errors += row_errors
        if area is None:
            continue
        if area.kind == AreaKind.CSP:
            first = seen_csp.setdefault(area.csp_code, row.number)
            if first != row.number:
                errors.append(
                    _("%(where)s: CSP code %(code)s appears again (first on %(first)s).")
                    % {"where": at, "code": area.csp_code, "first": where(first).lower()}
                )
        if area.kind == AreaKind.FORCE_TOTAL:
            first = seen_total.setdefault(area.published_force_code, row.number)
            if first != row.number:
                errors.append(
                    _("%(where)s: a second force total for %(code)s (first on %(first)s).")
                    % {
                        "where": at,
                        "code": area.published_force_code,
                        "first": where(first).lower(),
                    }
                )
        areas.append(area)

    if not areas and not errors:
        errors.append(_("The file has a header but no rows of figures."))
    elif not errors and not any(area.kind == AreaKind.CSP for area in areas):
        errors.append(_("The file has no Community Safety Partnership rows."))
    if errors:
        raise CrimeFileError(errors)

    warnings += attribute_forces(areas, where)
    warnings += check_force_totals(areas, where)
    for area in areas:
        if all(value is None for value in area.counts.values()):
            warnings.append(
                _("%(where)s: '%(name)s' has no figures; it is kept with every count unavailable.")
                % {"where": where(area.source_row), "name": area.area_name}
            )
    return CrimeTable(
        period_label=chosen_period[0],
        period_end=chosen_period[1],
        file_format=file_format,
        areas=areas,
        warnings=warnings,
    )


def _where(unit: str):
    if unit == "line":
        return lambda number: _("Line %(number)d") % {"number": number}
    return lambda number: _("Row %(number)d") % {"number": number}


def _columns(header: SourceRow, where, errors: list[str]) -> dict[str, int] | None:
    """Column index of every expected heading, or None (with the error) if the layout changed."""
    expected = {_normalise(heading): key for key, heading in EXPECTED_HEADINGS.items()}
    columns: dict[str, int] = {}
    unexpected: list[str] = []
    for index, cell in enumerate(header.cells):
        name = _normalise(cell)
        if not name:
            continue
        key = expected.get(name)
        if key is None or key in columns:
            unexpected.append(" ".join(cell.split()))
        else:
            columns[key] = index
    missing = [heading for key, heading in EXPECTED_HEADINGS.items() if key not in columns]
    if not missing and not unexpected:
        return columns
    parts = []
    if missing:
        parts.append(_("missing columns: %(names)s") % {"names": "; ".join(missing)})
    if unexpected:
        parts.append(_("unexpected columns: %(names)s") % {"names": "; ".join(unexpected)})
    errors.append(
        _("%(where)s: the table's layout has changed, so the file was not read (%(details)s).")
        % {"where": where(header.number), "details": "; ".join(parts)}
    )
    return None


def _area(row: SourceRow, columns: dict[str, int], at: str):
    value = {key: row.cells[index].strip() for key, index in columns.items()}
    errors = []
    if not FORCE_CODE.match(value["force_code"]):
        errors.append(
            _("%(where)s: '%(value)s' is not a police force area code (E23… or W15…).")
            % {"where": at, "value": value["force_code"]}
        )
    if not value["force_name"]:
        errors.append(_("%(where)s: the police force area name is missing.") % {"where": at})
    csp_code, csp_name = value["csp_code"], value["csp_name"]
    if csp_code and not CSP_CODE.match(csp_code):
        errors.append(
            _("%(where)s: '%(value)s' is not a Community Safety Partnership code (E22… or W14…).")
            % {"where": at, "value": csp_code}
        )
    if csp_code and not csp_name:
        errors.append(
            _("%(where)s: the Community Safety Partnership name is missing.") % {"where": at}
        )
    counts: dict[str, int | None] = {}
    for key in OFFENCE_KEYS:
        text = value[key]
        if text.lower() in UNAVAILABLE:
            counts[key] = None
        elif COUNT.match(text):
            counts[key] = int(text.replace(",", ""))
        else:
            errors.append(
                _("%(where)s: '%(value)s' under '%(column)s' is not a number of offences.")
                % {"where": at, "value": text, "column": BY_KEY[key].heading}
            )
    if errors:
        return None, errors
    if csp_code:
        kind = AreaKind.CSP
    elif not csp_name:
        kind = AreaKind.FORCE_TOTAL
    elif csp_name.casefold().startswith("unassigned"):
        kind = AreaKind.UNASSIGNED
    else:
        kind = AreaKind.OTHER
    return (
        AreaRecord(
            source_row=row.number,
            kind=kind,
            force_code=value["force_code"],
            force_name=tidy_force_name(value["force_name"]),
            published_force_code=value["force_code"],
            published_force_name=value["force_name"],
            csp_code=csp_code,
            area_name=csp_name or value["force_name"],
            counts=counts,
        ),
        [],
    )
