"""Filling the actuals of measures bound to a series from each import (``plans.series``). Called
by ``recorded_crime``'s release hook (registered in ``PlansConfig.ready``) inside the import's
transaction: the actuals, their provenance and history change with the release or not at all."""

from datetime import date

from django.utils import timezone

from accounts.models import User
from audit.services import audit_record
from recorded_crime.hooks import register_release_listener
from recorded_crime.models import AreaKind, CrimeArea, CrimeRelease, PopulationEdition
from recorded_crime.rates import csp_populations, rate_per_thousand

from ..models import PLAN_YEARS, Measure, MeasureActual, Quarter
from ..series import CRIME, RATE, parse


def quarter_ending(day: date) -> Quarter:
    """The financial-year quarter a period ending on ``day`` ends in (June is Q1)."""
    number = {4: 1, 5: 1, 6: 1, 7: 2, 8: 2, 9: 2, 10: 3, 11: 3, 12: 3}.get(day.month, 4)
    return Quarter(day.year if number < 4 else day.year - 1, number)


def measures_fill_from_release(*, release: CrimeRelease, acting_user: User | None) -> int:
    """Fill, for the quarter the release's period ends in, the actual of every measure bound to a
    crime series whose plan covers that quarter. The same figures again change nothing; a
    corrected release of the same period changes the actual and says so in its history. Returns
    how many actuals changed. A service acting for the import (its staff user): no policy."""
    quarter = quarter_ending(release.period_end)
    measures = [
        measure
        for measure in Measure.objects.filter(
            series__startswith=f"{CRIME}:",
            action__plan__period_start__lte=quarter.year_start,
            action__plan__period_start__gt=quarter.year_start - PLAN_YEARS,
        ).select_related("action__partnership")
        if parse(measure.series) and measure.action.partnership.ons_code
    ]
    if not measures:
        return 0
    codes = {measure.action.partnership.ons_code for measure in measures}
    counts = dict(
        CrimeArea.objects.filter(
            release=release, kind=AreaKind.CSP, csp_code__in=codes
        ).values_list("csp_code", "counts")
    )
    needs_rates = any(parse(m.series)[2] == RATE for m in measures)
    populations = csp_populations() if needs_rates else {}
    edition = PopulationEdition.objects.order_by("-mid_year").first() if needs_rates else None
    period = {"year_start": quarter.year_start, "quarter": quarter.number}
    recorded = {
        actual.measure_id: actual
        for actual in MeasureActual.objects.select_for_update().filter(
            measure__in=measures, **period
        )
    }
    now, changed = timezone.now(), 0
    for measure in measures:
        _source, key, kind = parse(measure.series)
        code = measure.action.partnership.ons_code
        count = counts.get(code, {}).get(key)
        value = count if kind != RATE else rate_per_thousand(count, populations.get(code))
        if value is None:
            continue
        source = (
            f"Police recorded crime (Table C2), {release.period_label}, "
            f"file {release.source_file_name}"
            + (f"; per 1,000 residents, ONS mid-{edition.mid_year}" if kind == RATE else "")
        )
        actual = recorded.get(measure.pk)
        if actual is not None and actual.value == value and actual.source == source:
            continue
        event = (
            "imported"
            if actual is None or not actual.source
            else "corrected"
            if actual.source_release_id == release.pk
            else "replaced"
        )
        previous = actual.value if actual is not None else None
        actual = actual or MeasureActual(measure=measure, **period)
        actual.value, actual.recorded_by = value, acting_user
        actual.source, actual.source_release = source[:300], release
        actual.history = [
            *actual.history,
            {
                "at": now.isoformat(),
                "event": event,
                "value": str(value),
                "previous": None if previous is None else str(previous),
                "source": source,
                "by": acting_user.email if acting_user else "",
            },
        ]
        actual.full_clean(exclude=["recorded_by"])  # None when a command imported it
        actual.save()
        changed += 1
        audit_record(
            acting_user=acting_user,
            partnership=measure.action.partnership,
            action="plan.measure_actual_import",
            target=measure.action,
            changes={
                "quarter": [None, str(quarter)],
                f"actual.{measure.name}": [previous, value],
                "source": [None, source],
            },
        )
    return changed


def register() -> None:
    register_release_listener(measures_fill_from_release)
