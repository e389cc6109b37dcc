"""Populations of Community Safety Partnerships and crime rates per 1,000 residents, and each
partnership's place among its statistically similar areas. Reads only (selectors).

The rule for a CSP's population: the sum of the mid-year estimates of the local authority districts
the ONS lookup places it in (the partnerships' districts). A district the lookup places in several
CSPs (Bournemouth, Christchurch and Poole is in three; Buckinghamshire in four) is shared equally
among them, so that every resident is counted once and the CSPs of a force add up to the force; the
population of a CSP with such a district is marked as an estimate. The sum is rounded to a whole
number of residents, and rates are worked from that rounded population.

Similar areas are ONS's statistical nearest neighbours of local authorities (Explore Local
Statistics), not the Home Office's most similar groups (which are not published openly): a CSP's
similar areas are the CSPs of its districts' neighbours, nearest first, itself left out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction

from django.db.models import IntegerField, Q, Sum
from django.db.models.fields.json import KT
from django.db.models.functions import Cast
from django.utils.functional import Promise

from partnerships.models import Partnership

from .models import (
    AreaKind,
    CrimeArea,
    DistrictNeighbours,
    DistrictPopulation,
    PopulationEdition,
    SimilarAreasEdition,
)
from .offences import OFFENCE_GROUPS, OFFENCE_KEYS, level

PER = 1000
# Districts ONS re-coded after the 2023 lookup (the 2024 boundary change of Barnsley and
# Sheffield): the similar-areas files use the new codes, the lookup the old.
RECODED_DISTRICTS = {"E08000038": "E08000016", "E08000039": "E08000019"}
NATIONS = {"E": "England", "W": "Wales"}
YOUTH_BANDS = {"10_17": (10, 17), "18_24": (18, 24)}


@dataclass(frozen=True)
class CspPopulation:
    csp_code: str
    mid_year: int
    residents: int
    estimated: bool
    age_bands: dict[str, int]

    @property
    def aged_10_17(self) -> int:
        return self.age_bands["10_17"]

    @property
    def aged_18_24(self) -> int:
        return self.age_bands["18_24"]


@dataclass(frozen=True)
class OffenceRate:
    key: str
    label: Promise
    level: int
    count: int | None
    rate: Decimal | None
    force_rate: Decimal | None
    nation_rate: Decimal | None
    similar_rank: int | None
    similar_of: int


@dataclass(frozen=True)
class SimilarArea:
    csp_code: str
    name: str
    residents: int
    total_rate: Decimal | None
    is_self: bool


@dataclass
class AreaRates:
    population: CspPopulation
    force_residents: int | None
    nation_code: str
    nation_residents: int
    offences: list[OffenceRate]
    similar_edition: str | None
    similar_areas: list[SimilarArea]

    @property
    def nation_name(self) -> str:
        return NATIONS[self.nation_code]

    @property
    def total(self) -> OffenceRate:
        return self.offences[0]


def rate_per_thousand(count: int | None, residents: int | None) -> Decimal | None:
    if count is None or not residents:
        return None
    return (Decimal(count) * PER / Decimal(residents)).quantize(
        Decimal("0.1"), rounding=ROUND_HALF_UP
    )


def _whole(value: Fraction) -> int:
    return int(Decimal(value.numerator) / Decimal(value.denominator) + Decimal("0.5"))


def _links() -> list[tuple[str, str, str]]:
    """(CSP code, force code, district code) of every active partnership the lookup made."""
    return list(
        Partnership.districts.through.objects.filter(
            partnership__status="active", partnership__ons_code__gt=""
        ).values_list(
            "partnership__ons_code",
            "partnership__police_force_area__code",
            "localauthoritydistrict__code",
        )
    )


def _latest_population() -> dict[str, tuple[int, int]]:
    """District code -> (residents, mid-year) in the newest edition; one query."""
    latest = PopulationEdition.objects.order_by("-mid_year").values("pk")[:1]
    return {
        code: (total, year)
        for code, total, year in DistrictPopulation.objects.filter(
            edition_id__in=latest
        ).values_list("district_code", "total", "edition__mid_year")
    }


def _csp_residents(
    links: list[tuple[str, str, str]], districts: dict[str, tuple[int, int]]
) -> tuple[dict[str, Fraction], set[str]]:
    """CSP code -> residents (exact shares), and the CSPs that share a district. A CSP with a
    district missing from the edition gets no population."""
    sharers: dict[str, set[str]] = defaultdict(set)
    for csp, _force, district in links:
        sharers[district].add(csp)
    residents: dict[str, Fraction] = defaultdict(Fraction)
    missing, shared = set(), set()
    for csp, _force, district in links:
        if district not in districts:
            missing.add(csp)
            continue
        residents[csp] += Fraction(districts[district][0], len(sharers[district]))
        if len(sharers[district]) > 1:
            shared.add(csp)
    for csp in missing:
        residents.pop(csp, None)
    return residents, shared


def csp_populations() -> dict[str, int]:
    """Every partnership's population (whole residents) by CSP code, by the rule above."""
    residents, _shared = _csp_residents(_links(), _latest_population())
    return {csp: _whole(value) for csp, value in residents.items()}


def csp_population(*, csp_code: str) -> CspPopulation | None:
    """One partnership's population, with its 10-17 and 18-24 age bands. Three queries."""
    links = _links()
    districts = _latest_population()
    residents, shared = _csp_residents(links, districts)
    return _population_of(csp_code, links, districts, residents, shared)


def _population_of(csp_code, links, districts, residents, shared) -> CspPopulation | None:
    if csp_code not in residents:
        return None
    own = [district for csp, _force, district in links if csp == csp_code]
    sharers = defaultdict(set)
    for csp, _force, district in links:
        sharers[district].add(csp)
    bands = dict.fromkeys(YOUTH_BANDS, Fraction(0))
    for code, ages in DistrictPopulation.objects.filter(
        district_code__in=own, edition__mid_year=districts[own[0]][1]
    ).values_list("district_code", "ages"):
        for band, (low, high) in YOUTH_BANDS.items():
            bands[band] += Fraction(sum(ages[low : high + 1]), len(sharers[code]))
    return CspPopulation(
        csp_code=csp_code,
        mid_year=districts[own[0]][1],
        residents=_whole(residents[csp_code]),
        estimated=csp_code in shared,
        age_bands={band: _whole(value) for band, value in bands.items()},
    )


def _nation_counts(release_id: int, nation_code: str) -> dict[str, int]:
    """Sum of every row of the nation's forces except the force totals (which repeat them)."""
    prefix = "E23" if nation_code == "E" else "W15"
    totals = (
        CrimeArea.objects.filter(release_id=release_id, force_code__startswith=prefix)
        .filter(~Q(kind=AreaKind.FORCE_TOTAL))
        .aggregate(**{key: Sum(Cast(KT(f"counts__{key}"), IntegerField())) for key in OFFENCE_KEYS})
    )
    return totals


def area_rates(
    *,
    csp_code: str,
    release_id: int,
    counts: dict,
    force_counts: dict,
    force_csp_codes: set[str],
) -> AreaRates | None:
    """Rates per 1,000 for the CSP, its force area (whose CSPs the release lists) and its nation,
    and its rank among its similar areas, for one release. None when no population is imported
    for it. Six queries."""
    links = _links()
    districts = _latest_population()
    residents, shared = _csp_residents(links, districts)
    population = _population_of(csp_code, links, districts, residents, shared)
    if population is None:
        return None
    nation_code = csp_code[0] if csp_code[0] in NATIONS else "E"
    nation_residents = sum(
        total for code, (total, _year) in districts.items() if code.startswith(nation_code)
    )
    # The force's CSPs are those the release lists under it; its population is known only when
    # every one of them has a population here (a portal with some of them has no force rate).
    force_residents = (
        _whole(sum((residents[csp] for csp in force_csp_codes), Fraction(0)))
        if force_csp_codes and all(csp in residents for csp in force_csp_codes)
        else None
    )
    nation_counts = _nation_counts(release_id, nation_code)

    similar_edition, group = _similar_group(csp_code, links)
    rows = {
        row.csp_code: row
        for row in CrimeArea.objects.filter(
            release_id=release_id, kind=AreaKind.CSP, csp_code__in=group
        ).only("csp_code", "area_name", "counts")
    }
    group = [code for code in group if code in rows and code in residents]
    populations = {code: _whole(residents[code]) for code in group}

    offences = []
    for offence in OFFENCE_GROUPS:
        rate = rate_per_thousand(counts.get(offence.key), population.residents)
        others = [
            rate_per_thousand(rows[code].counts.get(offence.key), populations[code])
            for code in group
            if code != csp_code
        ]
        others = [value for value in others if value is not None]
        ranked = rate is not None and len(group) > 1
        offences.append(
            OffenceRate(
                key=offence.key,
                label=offence.label,
                level=level(offence.key),
                count=counts.get(offence.key),
                rate=rate,
                force_rate=rate_per_thousand(force_counts.get(offence.key), force_residents),
                nation_rate=rate_per_thousand(nation_counts.get(offence.key), nation_residents),
                similar_rank=1 + sum(1 for other in others if other > rate) if ranked else None,
                similar_of=len(others) + 1 if ranked else 0,
            )
        )
    similar = [
        SimilarArea(
            csp_code=code,
            name=rows[code].area_name,
            residents=populations[code],
            total_rate=rate_per_thousand(
                rows[code].counts.get(OFFENCE_GROUPS[0].key), populations[code]
            ),
            is_self=code == csp_code,
        )
        for code in group
    ]
    similar.sort(key=lambda area: (area.total_rate is None, -(area.total_rate or 0)))
    return AreaRates(
        population=population,
        force_residents=force_residents,
        nation_code=nation_code,
        nation_residents=nation_residents,
        offences=offences,
        similar_edition=similar_edition,
        similar_areas=similar if len(similar) > 1 else [],
    )


def _similar_group(csp_code: str, links) -> tuple[str | None, list[str]]:
    """The CSP and the CSPs of its districts' nearest neighbours, nearest first; one query."""
    own = {district for csp, _force, district in links if csp == csp_code}
    recoded_back = {old: new for new, old in RECODED_DISTRICTS.items()}
    asked = own | {recoded_back[code] for code in own if code in recoded_back}
    latest = SimilarAreasEdition.objects.order_by("-imported_at").values("pk")[:1]
    found = list(
        DistrictNeighbours.objects.filter(
            edition_id__in=latest, district_code__in=asked
        ).values_list("edition__label", "neighbours")
    )
    if not found:
        return None, [csp_code]
    csps_of = defaultdict(list)
    for csp, _force, district in links:
        csps_of[district].append(csp)
    group = [csp_code]
    longest = max(len(neighbours) for _label, neighbours in found)
    for rank in range(longest):  # the nearest of every district first, then the second …
        for _label, neighbours in found:
            if rank < len(neighbours):
                district = RECODED_DISTRICTS.get(neighbours[rank], neighbours[rank])
                for csp in sorted(csps_of.get(district, [])):
                    if csp not in group:
                        group.append(csp)
    return found[0][0], group
