"""Which force each row counts under, and whether each force adds up to its published total."""

import re
from collections import Counter, defaultdict

from django.utils.translation import gettext as _

from ..models import AreaKind
from ..offences import BY_KEY, OFFENCE_KEYS
from .records import AreaRecord

NOTE_MARKER = re.compile(r"\[note\s*\d+\]", re.IGNORECASE)


def tidy_force_name(name: str) -> str:
    """'Humberside [note 4]' and 'Dorset ' name the forces 'Humberside' and 'Dorset'."""
    return " ".join(NOTE_MARKER.sub(" ", name).split())


def attribute_forces(areas: list[AreaRecord], where) -> list[str]:
    """Count each row under its force code, unless its force name contradicts the code and names
    exactly one other force of the file: then under that force, and say so.

    (In the year to June 2025, 'Unassigned Gwent' carries South Wales's code and 'unassigned
    Surrey' Kent's; counted under the forces they name, every force adds up to its total.)
    """
    names_by_code: dict[str, Counter] = defaultdict(Counter)
    for area in areas:
        names_by_code[area.force_code][area.force_name] += 1
    canonical = {code: names.most_common(1)[0][0] for code, names in names_by_code.items()}
    for area in areas:
        if area.kind == AreaKind.FORCE_TOTAL:
            canonical[area.force_code] = area.force_name
    codes_by_name: dict[str, set[str]] = defaultdict(set)
    for code, name in canonical.items():
        codes_by_name[name.casefold()].add(code)

    warnings = []
    for area in areas:
        code, name = area.published_force_code, area.force_name
        if area.kind == AreaKind.FORCE_TOTAL or name.casefold() == canonical[code].casefold():
            area.force_name = canonical[code]
            continue
        others = codes_by_name.get(name.casefold(), set()) - {code}
        details = {
            "where": where(area.source_row),
            "name": area.area_name,
            "code": code,
            "code_name": canonical[code],
            "force_name": name,
        }
        if len(others) == 1:
            other = others.pop()
            area.force_code, area.force_name = other, canonical[other]
            warnings.append(
                _(
                    "%(where)s: '%(name)s' has the force code %(code)s (%(code_name)s) but the "
                    "force name '%(force_name)s'; it is counted under %(force_name)s "
                    "(%(other)s), the force it names."
                )
                % {**details, "other": other}
            )
        else:
            area.force_name = canonical[code]
            warnings.append(
                _(
                    "%(where)s: '%(name)s' has the force code %(code)s (%(code_name)s) but the "
                    "force name '%(force_name)s', which names no other force of the file; it is "
                    "counted under %(code)s."
                )
                % details
            )
    return warnings


def check_force_totals(areas: list[AreaRecord], where) -> list[str]:
    """Every force's rows should add up to its force-total row, column by column."""
    totals = {a.force_code: a for a in areas if a.kind == AreaKind.FORCE_TOTAL}
    parts: dict[str, list[AreaRecord]] = defaultdict(list)
    for area in areas:
        if area.kind != AreaKind.FORCE_TOTAL:
            parts[area.force_code].append(area)
    warnings = []
    for code in sorted(set(parts) - set(totals)):
        if len(parts[code]) > 1:  # a force with one CSP (City of London) is its own total
            warnings.append(
                _(
                    "%(force)s (%(code)s) has no force total row, so its rows cannot be checked "
                    "and partnerships in it are shown without a force-area comparison."
                )
                % {"force": parts[code][0].force_name, "code": code}
            )
    for code, total in totals.items():
        differences = []
        for key in OFFENCE_KEYS:
            expected = total.counts[key]
            found = sum(area.counts[key] or 0 for area in parts[code])
            if expected is not None and found != expected:
                differences.append(f"{BY_KEY[key].heading} ({found:,} ≠ {expected:,})")
        if differences:
            warnings.append(
                _(
                    "The rows of %(force)s (%(code)s) do not add up to its force total on "
                    "%(where)s for: %(columns)s."
                )
                % {
                    "force": total.force_name,
                    "code": code,
                    "where": where(total.source_row).lower(),
                    "columns": "; ".join(differences),
                }
            )
    return warnings
