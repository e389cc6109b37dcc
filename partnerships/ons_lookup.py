"""Import of the ONS lookup 'local authority district to Community Safety Partnership to police
force area', in any edition's header style. All or nothing: a file with any bad row writes nothing.

Codes are stored with the edition they came from, so a new edition makes new district and force
area records. Whatever hangs off an earlier edition's record (a force area's police and crime plan
priorities, its combination approvals, a partnership the file no longer lists) is carried to the
new record of the same code in the same transaction, found through the model's relations so that
a future dependant is carried too. A partnership is kept by its CSP code; a CSP that reappears
under a new code (same name or same districts, its old code gone) keeps its partnership.
"""

import csv
import io
import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Case, Value, When
from django.utils.text import slugify
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import LocalAuthorityDistrict, Nation, PoliceForceArea
from authorities.services import local_policing_bodies_record, police_force_areas_changed

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
    # "police and crime plan priorities (police force areas)" -> how many were carried to this
    # edition's records from earlier editions' records of the same codes.
    carried: dict[str, int] = field(default_factory=dict)


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
    existing |= _recoded(by_csp, existing)
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
            "ons_code": partnership.ons_code,
            "ons_edition": partnership.ons_edition,
            "police_force_area": partnership.police_force_area_id,
            "districts": sorted(d.code for d in partnership.districts.all()),
        }
        after = {
            "name": first.csp_name,
            "ons_code": code,
            "ons_edition": edition,
            "police_force_area": pfa.pk,
            "districts": sorted(d.code for d in wanted_districts),
        }
        current_district_ids = {d.pk for d in partnership.districts.all()}
        if before == after and current_district_ids == {d.pk for d in wanted_districts}:
            result.partnerships_unchanged += 1
            continue
        partnership.name = first.csp_name
        partnership.ons_code = code
        partnership.ons_edition = edition
        partnership.police_force_area = pfa
        partnership.save(update_fields=["name", "ons_code", "ons_edition", "police_force_area"])
        partnership.districts.set(wanted_districts)
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="partnership.update_from_ons",
            target=partnership,
            changes={key: [before[key], after[key]] for key in before if before[key] != after[key]},
        )
        result.partnerships_updated.append(first.csp_name)

    for areas in (pfas, districts):
        _carry_to_edition(areas, acting_user=acting_user, result=result)
    # After the carry, which brings an area's bodies (and their recorded history) to the new
    # edition's record of it: only an area new to the service gets its bodies from the table.
    local_policing_bodies_record(acting_user=acting_user, areas=pfas.values())
    # An area's new name, and the partnerships and priorities carried to its new record, show on
    # pages kept under its partnerships' stamps; the area's audit events name no partnership.
    police_force_areas_changed(area.pk for area in pfas.values())
    return result


def _recoded(
    by_csp: dict[str, list[LookupRow]], existing: dict[str, Partnership]
) -> dict[str, Partnership]:
    """New CSP codes that are an existing partnership under a new code: its old code is not in
    the file and exactly one such partnership has the same name or the same district codes.
    Otherwise the code is a new partnership, and the old one keeps its code and its data."""
    found: dict[str, Partnership] = {}
    if all(code in existing for code in by_csp):
        return found
    gone = list(
        Partnership.objects.filter(status="active")
        .exclude(ons_code="")
        .exclude(ons_code__in=by_csp)
        .prefetch_related("districts")
    )
    for code, rows in by_csp.items():
        if code in existing:
            continue
        name = rows[0].csp_name.casefold()
        district_codes = {row.district_code for row in rows}
        candidates = [
            p
            for p in gone
            if p.name.casefold() == name or {d.code for d in p.districts.all()} == district_codes
        ]
        if len(candidates) == 1 and candidates[0] not in found.values():
            found[code] = candidates[0]
    return found


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


def _carry_to_edition(areas: dict, *, acting_user: User | None, result: ImportResult) -> None:
    """Point every row that refers to another edition's record of one of ``areas``' codes at
    ``areas``' record of that code, through every relation the model has (foreign keys, one-to-
    ones, many-to-manys), and audit each record that received some."""
    if not areas:
        return
    model = type(next(iter(areas.values())))
    current = {area.pk: area for area in areas.values()}
    new_pk = {
        old.pk: areas[old.code].pk
        for old in model.objects.filter(code__in=areas).exclude(pk__in=current)
    }
    if not new_pk:
        return
    received: dict[int, Counter] = defaultdict(Counter)
    for relation in model._meta.related_objects:
        label = str(relation.related_model._meta.verbose_name_plural)
        if relation.many_to_many:
            rows = relation.through._base_manager
            column = relation.field.m2m_reverse_field_name()
            old_rows = _drop_double_links(
                rows, column, relation.field.m2m_field_name(), new_pk, set(current)
            )
        else:
            rows, column = relation.related_model._base_manager, relation.field.name
            old_rows = list(rows.filter(**{f"{column}__in": new_pk}).values_list(column, flat=True))
        for old in old_rows:
            received[new_pk[old]][label] += 1
        if old_rows:
            to_new = Case(*(When(**{column: old}, then=Value(new)) for old, new in new_pk.items()))
            rows.filter(**{f"{column}__in": new_pk}).update(**{column: to_new})
    area_label = str(model._meta.verbose_name_plural)
    for pk, moved in received.items():
        olds = [old for old, new in new_pk.items() if new == pk]
        editions = model.objects.filter(pk__in=olds).values_list("edition", flat=True)
        audit_record(
            acting_user=acting_user,
            partnership=None,
            action=f"{model._meta.model_name}.carry_to_edition",
            target=current[pk],
            changes={
                "edition": [", ".join(sorted(set(editions))), current[pk].edition],
                **{label: [None, count] for label, count in moved.items()},
            },
        )
        for label, count in moved.items():
            key = f"{label} ({area_label})"
            result.carried[key] = result.carried.get(key, 0) + count


def _drop_double_links(rows, column: str, source: str, new_pk: dict, current: set) -> list[int]:
    """The old records of many-to-many rows pointing at them, after deleting each row whose
    other side is already linked to the new record (so that carrying it would link it twice)."""
    old_rows = list(rows.filter(**{f"{column}__in": new_pk}).values_list("pk", column, source))
    linked = set(
        rows.filter(
            **{f"{source}__in": {other for _pk, _old, other in old_rows}, f"{column}__in": current}
        ).values_list(source, column)
    )
    doubles = []
    for pk, old, other in old_rows:
        if (other, new_pk[old]) in linked:
            doubles.append(pk)
        linked.add((other, new_pk[old]))
    rows.filter(pk__in=doubles).delete()
    return [old for _pk, old, _other in old_rows]
