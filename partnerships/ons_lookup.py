"""Import of the ONS lookup 'local authority district to Community Safety Partnership to police
force area', in any edition's header style. All or nothing: a file with any bad row writes nothing.
"""

import csv
import io
import re
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import LocalAuthorityDistrict, Nation, PoliceForceArea

from .models import Partnership
from .services import partnership_create

# Header cells are compared lower-cased with everything but letters and digits removed, so that
# "LAD23CD", "ltla24_code" and "LAD23 code" all name the district code of a 20YY edition.
COLUMN_PATTERNS = {
    "district_code": re.compile(r"^(?:lad|ltla)(\d{2})(?:cd|code)$"),
    "district_name": re.compile(r"^(?:lad|ltla)(\d{2})(?:nm|name)$"),
    "csp_code": re.compile(r"^csp(\d{2})(?:cd|code)$"),
    "csp_name": re.compile(r"^csp(\d{2})(?:nm|name)$"),
    "pfa_code": re.compile(r"^pfa(\d{2})(?:cd|code)$"),
    "pfa_name": re.compile(r"^pfa(\d{2})(?:nm|name)$"),
}
CODE_PATTERNS = {
    "district_code": re.compile(r"^[EW]0[6-9]\d{6}$"),
    "csp_code": re.compile(r"^(?:E22|W14)\d{6}$"),
    "pfa_code": re.compile(r"^(?:E23|W15)\d{6}$"),
}
COLUMN_LABELS = {
    "district_code": "local authority district code",
    "district_name": "local authority district name",
    "csp_code": "Community Safety Partnership code",
    "csp_name": "Community Safety Partnership name",
    "pfa_code": "police force area code",
    "pfa_name": "police force area name",
}


class LookupFileError(Exception):
    """The file was refused; ``errors`` says why, row by row."""

    def __init__(self, errors: list[str]):
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class LookupRow:
    line: int
    district_code: str
    district_name: str
    csp_code: str
    csp_name: str
    pfa_code: str
    pfa_name: str


@dataclass
class ImportResult:
    edition: str
    partnerships_created: list[str] = field(default_factory=list)
    partnerships_updated: list[str] = field(default_factory=list)
    partnerships_unchanged: int = 0
    districts_created: int = 0
    districts_updated: int = 0
    police_force_areas_created: int = 0
    police_force_areas_updated: int = 0


def read_lookup(text: str, *, edition: str = "") -> tuple[str, list[LookupRow]]:
    """Parse and check the whole file. Returns the edition and rows, or raises LookupFileError."""
    reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    header = next(reader, None)
    if not header or not any(cell.strip() for cell in header):
        raise LookupFileError([_("The file is empty.")])
    columns, years = _columns(header)
    missing = [COLUMN_LABELS[name] for name in COLUMN_PATTERNS if name not in columns]
    if missing:
        raise LookupFileError(
            [
                _("Row 1: the header has no column for: %(missing)s.")
                % {"missing": ", ".join(missing)}
            ]
        )
    if not edition:
        if len(years) != 1:
            raise LookupFileError(
                [_("Row 1: the header mixes editions; give the edition explicitly.")]
            )
        edition = f"20{years.pop()}"

    rows, errors = [], []
    width = max(columns.values()) + 1
    for line, cells in enumerate(reader, start=2):
        if not any(cell.strip() for cell in cells):
            continue
        if len(cells) < width:
            errors.append(
                _("Row %(line)d: expected at least %(width)d values, found %(found)d.")
                % {"line": line, "width": width, "found": len(cells)}
            )
            continue
        values = {name: cells[index].strip() for name, index in columns.items()}
        row_errors = [
            _("Row %(line)d: %(column)s is missing.")
            % {"line": line, "column": COLUMN_LABELS[name]}
            for name, value in values.items()
            if not value
        ]
        row_errors += [
            _("Row %(line)d: '%(value)s' is not a valid %(column)s.")
            % {"line": line, "value": values[name], "column": COLUMN_LABELS[name]}
            for name, pattern in CODE_PATTERNS.items()
            if values[name] and not pattern.match(values[name])
        ]
        errors += row_errors
        if not row_errors:
            rows.append(LookupRow(line=line, **values))
    errors += _consistency_errors(rows)
    if not rows and not errors:
        errors.append(_("The file has a header but no rows."))
    if errors:
        raise LookupFileError(errors)
    return edition, rows


def _columns(header: list[str]) -> tuple[dict[str, int], set[str]]:
    columns: dict[str, int] = {}
    years: set[str] = set()
    for index, cell in enumerate(header):
        key = re.sub(r"[^a-z0-9]", "", cell.lower())
        for name, pattern in COLUMN_PATTERNS.items():
            match = pattern.match(key)
            if match and name not in columns:
                columns[name] = index
                years.add(match.group(1))
    return columns, years


def _consistency_errors(rows: list[LookupRow]) -> list[str]:
    """A CSP must have one name and one police force area throughout the file."""
    errors = []
    seen: dict[str, LookupRow] = {}
    for row in rows:
        first = seen.setdefault(row.csp_code, row)
        if (first.csp_name, first.pfa_code) != (row.csp_name, row.pfa_code):
            errors.append(
                _(
                    "Row %(line)d: %(code)s has a different name or police force area "
                    "than on row %(first)d."
                )
                % {"line": row.line, "code": row.csp_code, "first": first.line}
            )
    return errors


@transaction.atomic
def import_lookup(text: str, *, acting_user: User | None = None, edition: str = "") -> ImportResult:
    edition, rows = read_lookup(text, edition=edition)
    result = ImportResult(edition=edition)

    pfas = _upsert_areas(
        PoliceForceArea,
        {row.pfa_code: row.pfa_name for row in rows},
        edition,
        result,
        "police_force_areas",
    )
    districts = _upsert_areas(
        LocalAuthorityDistrict,
        {row.district_code: row.district_name for row in rows},
        edition,
        result,
        "districts",
    )

    by_csp: dict[str, list[LookupRow]] = defaultdict(list)
    for row in rows:
        by_csp[row.csp_code].append(row)
    existing = {
        p.ons_code: p
        for p in Partnership.objects.filter(ons_code__in=by_csp).prefetch_related("districts")
    }
    taken_slugs = set(Partnership.objects.values_list("slug", flat=True))

    for code, csp_rows in by_csp.items():
        first = csp_rows[0]
        wanted_districts = {districts[row.district_code] for row in csp_rows}
        pfa = pfas[first.pfa_code]
        partnership = existing.get(code)
        if partnership is None:
            slug = _free_slug(first.csp_name, code, taken_slugs)
            taken_slugs.add(slug)
            partnership_create(
                acting_user=acting_user,
                name=first.csp_name,
                slug=slug,
                nation=Nation.from_ons_code(code),
                police_force_area=pfa,
                districts=wanted_districts,
                ons_code=code,
                ons_edition=edition,
            )
            result.partnerships_created.append(first.csp_name)
            continue
        before = {
            "name": partnership.name,
            "ons_edition": partnership.ons_edition,
            "police_force_area": partnership.police_force_area_id,
            "districts": sorted(d.code for d in partnership.districts.all()),
        }
        after = {
            "name": first.csp_name,
            "ons_edition": edition,
            "police_force_area": pfa.pk,
            "districts": sorted(d.code for d in wanted_districts),
        }
        current_district_ids = {d.pk for d in partnership.districts.all()}
        if before == after and current_district_ids == {d.pk for d in wanted_districts}:
            result.partnerships_unchanged += 1
            continue
        partnership.name = first.csp_name
        partnership.ons_edition = edition
        partnership.police_force_area = pfa
        partnership.save(update_fields=["name", "ons_edition", "police_force_area"])
        partnership.districts.set(wanted_districts)
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="partnership.update_from_ons",
            target=partnership,
            changes={key: [before[key], after[key]] for key in before if before[key] != after[key]},
        )
        result.partnerships_updated.append(first.csp_name)
    return result


def _upsert_areas(
    model, names: dict[str, str], edition: str, result: ImportResult, label: str
) -> dict:
    current = {area.code: area for area in model.objects.filter(edition=edition, code__in=names)}
    created, updated = [], []
    for code, name in names.items():
        area = current.get(code)
        if area is None:
            created.append(model(code=code, name=name, edition=edition))
        elif area.name != name:
            area.name = name
            updated.append(area)
    model.objects.bulk_create(created)
    model.objects.bulk_update(updated, ["name"])
    setattr(result, f"{label}_created", len(created))
    setattr(result, f"{label}_updated", len(updated))
    return {area.code: area for area in model.objects.filter(edition=edition, code__in=names)}


def _free_slug(name: str, code: str, taken: set[str]) -> str:
    slug = slugify(name)[:70] or code.lower()
    return slug if slug not in taken else f"{slug}-{code.lower()}"
