from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TYPE_CHECKING

from django.db.models import Count, Q, QuerySet, Sum
from django.utils.functional import Promise

from .charts import (
    BarChart,
    LineChart,
    RateChart,
    offence_bar_chart,
    similar_areas_chart,
    trend_line_chart,
)
from .models import AreaKind, CrimeArea, CrimeRelease, PopulationEdition
from .offences import OFFENCE_GROUPS, TOTAL, level
from .rates import AreaRates, area_rates

if TYPE_CHECKING:
    from partnerships.models import Partnership


def releases_for_staff() -> QuerySet[CrimeRelease]:
    """Every imported period, newest first, with who imported it and how many CSP rows it has."""
    return CrimeRelease.objects.select_related("imported_by").annotate(
        csp_count=Count("areas", filter=Q(areas__kind=AreaKind.CSP))
    )


def population_editions_for_staff() -> QuerySet[PopulationEdition]:
    """Every imported population edition, newest mid-year first, with its number of districts."""
    return PopulationEdition.objects.select_related("imported_by").annotate(
        district_count=Count("districts"), residents=Sum("districts__total")
    )


def release_exists(*, period_end: date) -> bool:
    return CrimeRelease.objects.filter(period_end=period_end).exists()


@dataclass(frozen=True)
class OffenceFigures:
    key: str
    label: Promise
    level: int
    parent: str | None
    count: int | None
    force_count: int | None
    share_of_force: Decimal | None
    previous_count: int | None
    change: int | None
    change_percent: Decimal | None


@dataclass(frozen=True)
class TrendPoint:
    period_label: str
    period_end: date
    count: int | None
    change: int | None = None
    change_percent: Decimal | None = None


@dataclass
class CrimeProfile:
    """A partnership's police recorded crime: the latest period it has figures for, compared with
    its police force area and with the period before, and total recorded crime over time."""

    csp_code: str
    area_name: str
    force_code: str
    force_name: str
    force_total_is_area: bool
    release: CrimeRelease
    previous_release: CrimeRelease | None
    offences: list[OffenceFigures]
    trend: list[TrendPoint]
    rates: AreaRates | None = None

    @property
    def total(self) -> OffenceFigures:
        return self.offences[0]

    @property
    def top_level(self) -> list[OffenceFigures]:
        return [figures for figures in self.offences if figures.parent == TOTAL]

    @property
    def has_force_comparison(self) -> bool:
        return self.total.force_count is not None

    @cached_property
    def offence_chart(self) -> BarChart:
        return offence_bar_chart(self)

    @cached_property
    def similar_chart(self) -> RateChart | None:
        if not self.rates or not self.rates.similar_areas:
            return None
        return similar_areas_chart(
            f"crime-{self.csp_code.lower()}-similar", self.rates.similar_areas
        )

    @cached_property
    def trend_chart(self) -> LineChart | None:
        return trend_line_chart(self) if len(self.trend) >= 2 else None


def crime_profile(*, partnership: Partnership) -> CrimeProfile | None:
    """None when no imported release has figures for the partnership's ONS code. Two queries,
    whatever the number of releases, and six more for the rates (``rates.area_rates``) when a
    population edition is imported."""
    if not partnership.ons_code:
        return None
    rows = list(
        CrimeArea.objects.filter(csp_code=partnership.ons_code, kind=AreaKind.CSP)
        .select_related("release")
        .order_by("release__period_end")
    )
    if not rows:
        return None
    latest = rows[-1]
    previous = rows[-2] if len(rows) > 1 else None
    force_rows = list(
        CrimeArea.objects.filter(release_id=latest.release_id, force_code=latest.force_code).only(
            "kind", "counts", "csp_code"
        )
    )
    force_total = next((row for row in force_rows if row.kind == AreaKind.FORCE_TOTAL), None)
    is_area = force_total is None and len(force_rows) == 1  # City of London: the CSP is the force
    force_counts = latest.counts if is_area else force_total.counts if force_total else {}

    offences = []
    for group in OFFENCE_GROUPS:
        count = latest.counts.get(group.key)
        force_count = force_counts.get(group.key)
        previous_count = previous.counts.get(group.key) if previous else None
        change = (
            count - previous_count if count is not None and previous_count is not None else None
        )
        offences.append(
            OffenceFigures(
                key=group.key,
                label=group.label,
                level=level(group.key),
                parent=group.parent,
                count=count,
                force_count=force_count,
                share_of_force=_percent(count, force_count),
                previous_count=previous_count,
                change=change,
                change_percent=_percent(change, previous_count),
            )
        )
    return CrimeProfile(
        csp_code=latest.csp_code,
        area_name=latest.area_name,
        force_code=latest.force_code,
        force_name=latest.force_name,
        force_total_is_area=is_area,
        release=latest.release,
        previous_release=previous.release if previous else None,
        offences=offences,
        trend=_trend(rows),
        rates=area_rates(
            csp_code=latest.csp_code,
            release_id=latest.release_id,
            counts=latest.counts,
            force_counts=force_counts,
            force_csp_codes={row.csp_code for row in force_rows if row.kind == AreaKind.CSP},
        ),
    )


def _trend(rows: list[CrimeArea]) -> list[TrendPoint]:
    points, before = [], None
    for row in rows:
        count = row.counts.get(TOTAL)
        change = count - before if count is not None and before is not None else None
        points.append(
            TrendPoint(
                row.release.period_label,
                row.release.period_end,
                count,
                change,
                _percent(change, before),
            )
        )
        before = count
    return points


def _percent(part: int | None, whole: int | None) -> Decimal | None:
    if part is None or not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)
