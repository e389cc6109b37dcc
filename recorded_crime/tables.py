"""The crime profile's tables as rows for a CSV download: the same numbers as the page's tables,
unformatted (no thousands separators), an empty cell where the page says "not available"."""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

if TYPE_CHECKING:
    from .selectors import CrimeProfile

TABLES = ("offences", "rates", "similar", "trend")


def _cell(value) -> str:
    return "" if value is None else str(value)


def profile_table(profile: CrimeProfile, name: str) -> tuple[str, list[list[str]]] | None:
    """(file name, rows with the header first), or None when the profile has no such table."""
    code = profile.csp_code
    if name == "offences":
        header = [_("Offence group"), profile.area_name]
        if profile.has_force_comparison:
            header += [profile.force_name, _("Share of force area (%)")]
        if profile.previous_release:
            header += [profile.previous_release.period_label, _("Change"), _("Change (%)")]
        rows = [header]
        for row in profile.offences:
            cells = [str(row.label), _cell(row.count)]
            if profile.has_force_comparison:
                cells += [_cell(row.force_count), _cell(row.share_of_force)]
            if profile.previous_release:
                cells += [_cell(row.previous_count), _cell(row.change), _cell(row.change_percent)]
            rows.append(cells)
        return f"{code}-offences.csv", rows
    if name == "trend":
        rows = [[_("Period"), _("Total recorded crime"), _("Change"), _("Change (%)")]]
        rows += [
            [p.period_label, _cell(p.count), _cell(p.change), _cell(p.change_percent)]
            for p in profile.trend
        ]
        return f"{code}-trend.csv", rows
    rates = profile.rates
    if rates is None:
        return None
    if name == "rates":
        rows = [
            [
                _("Offence group"),
                _("%(area)s per 1,000 residents") % {"area": profile.area_name},
                _("%(force)s force area per 1,000 residents") % {"force": profile.force_name},
                _("%(nation)s per 1,000 residents")
                % {"nation": _("Wales") if rates.nation_code == "W" else _("England")},
                _("Rank among similar areas"),
                _("Number of similar areas ranked"),
            ]
        ]
        rows += [
            [
                str(row.label),
                _cell(row.rate),
                _cell(row.force_rate),
                _cell(row.nation_rate),
                _cell(row.similar_rank),
                _cell(row.similar_of or None),
            ]
            for row in rates.offences
        ]
        return f"{code}-rates.csv", rows
    if name == "similar" and rates.similar_areas:
        rows = [[_("CSP code"), _("Community Safety Partnership"), _("Residents"), _("Per 1,000")]]
        rows += [
            [area.csp_code, area.name, str(area.residents), _cell(area.total_rate)]
            for area in rates.similar_areas
        ]
        return f"{code}-similar-areas.csv", rows
    return None
