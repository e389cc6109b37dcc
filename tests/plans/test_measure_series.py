"""Measures bound to an imported series: each police recorded crime import fills the actual of
the quarter it covers, with its provenance; the quarterly update asks only for the others."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from audit.models import AuditEvent
from demo.recorded_crime import EXTRACT, POPULATION_EXTRACT
from partnerships.models import Seat
from plans import deadlines
from plans.models import MeasureActual, Quarter
from plans.series import COUNT, RATE, crime_series
from plans.services import approval, drafting
from plans.services.progress import action_progress_report
from plans.services.series import quarter_ending
from recorded_crime.services import crime_release_import, population_edition_import
from tests.conftest import signed_in
from tests.factories import DistrictFactory, PartnershipFactory, UserFactory, member
from tests.recorded_crime.conftest import file_counts

from .conftest import YEAR, add_action, sign_off_by_every_seat

pytestmark = pytest.mark.django_db

TODAY = date(YEAR, 11, 15)
Q2 = Quarter(YEAR, 2)  # July to September 2027: the quarter "year ending September 2027" ends in
VIOLENCE_RATE = crime_series("violence_with_injury", RATE)


@pytest.fixture
def partnership(db):
    trafford = PartnershipFactory(name="Trafford", slug="trafford", ons_code="E22000107")
    trafford.districts.set([DistrictFactory(code="E08000009", name="Trafford")])
    return trafford


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)


@pytest.fixture
def bound(draft_plan, coordinator, signers):
    """A published plan whose action has a typed measure and one bound to violence with injury
    per 1,000 residents."""
    action = add_action(draft_plan, coordinator)
    measure = drafting.measure_save(
        acting_user=coordinator,
        action=action,
        name="Violence with injury per 1,000",
        baseline=Decimal("6.2"),
        target=Decimal("5.5"),
        higher_is_better=False,
        series=VIOLENCE_RATE,
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=draft_plan)
    sign_off_by_every_seat(draft_plan, signers)
    approval.plan_publish(acting_user=coordinator, plan=draft_plan)
    population_edition_import(
        acting_user=None,
        data=POPULATION_EXTRACT.read_bytes(),
        file_name=POPULATION_EXTRACT.name,
        mid_year=2023,
    )
    return measure


def _release(factor: float = 1.0, user=None):
    """SYNTHETIC, not published data: the demo extract of Table C2 re-dated to the year ending
    September 2027, every count scaled by ``factor``."""
    records = list(csv.reader(io.StringIO(EXTRACT.read_text(), newline="")))
    records[0][0] = records[0][0].replace("June 2025", "September 2027")
    for record in records[8:]:
        record[6:] = [f"{round(n * factor):,} " for n in file_counts(record).values()]
    out = io.StringIO(newline="")
    csv.writer(out, lineterminator="\r\n").writerows(records)
    return crime_release_import(
        acting_user=user, data=out.getvalue().encode(), file_name=f"c2_x{factor}.csv"
    ).release


def test_an_import_fills_a_bound_measure_once_and_a_correction_says_so(bound):
    typed = bound.action.measures.exclude(pk=bound.pk).get()
    staff = UserFactory(is_staff=True, email="staff@example.org")
    release = _release(user=staff)

    actual = MeasureActual.objects.get(measure=bound)
    assert actual.period == Q2
    assert actual.value == Decimal("5.80")  # 1,369 offences / 237,480 residents x 1,000 = 5.76…
    assert actual.source_release == release and actual.recorded_by == staff
    assert "year ending September 2027" in actual.source and "c2_x1.0.csv" in actual.source
    assert "ONS mid-2023" in actual.source
    assert [entry["event"] for entry in actual.history] == ["imported"]
    assert actual.history[0]["by"] == "staff@example.org"
    assert not MeasureActual.objects.filter(measure=typed).exists()
    events = AuditEvent.objects.filter(action="plan.measure_actual_import").count()
    assert events == 1

    _release(user=staff)  # the same release again: nothing changes
    again = MeasureActual.objects.get(measure=bound)
    assert (again.value, again.history) == (actual.value, actual.history)
    assert AuditEvent.objects.filter(action="plan.measure_actual_import").count() == events

    _release(factor=1.1, user=staff)  # a corrected release of the same period
    corrected = MeasureActual.objects.get(measure=bound)
    assert corrected.value == Decimal("6.30")  # 1,506 / 237,480 x 1,000 = 6.34 → 6.3
    assert [entry["event"] for entry in corrected.history] == ["imported", "corrected"]
    assert corrected.history[-1]["previous"] == "5.80"


def test_a_count_series_fills_the_number_of_offences(draft_plan, coordinator):
    # The quarter a release's period ends in: June is Q1, March Q4 of the year before.
    assert quarter_ending(date(2025, 6, 30)) == Quarter(2025, 1)
    assert quarter_ending(date(2027, 9, 30)) == Quarter(2027, 2)
    assert quarter_ending(date(2028, 3, 31)) == Quarter(2027, 4)
    action = add_action(draft_plan, coordinator)
    measure = drafting.measure_save(
        acting_user=coordinator,
        action=action,
        name="Violence with injury",
        baseline=Decimal(1500),
        target=Decimal(1300),
        higher_is_better=False,
        series=crime_series("violence_with_injury", COUNT),
    )
    _release()
    assert MeasureActual.objects.get(measure=measure).value == 1369
    with pytest.raises(ValidationError):
        drafting.measure_save(
            acting_user=coordinator,
            action=action,
            measure=measure,
            name="x",
            baseline=Decimal(1),
            target=Decimal(1),
            series="crime:nonsense:rate",
        )


def test_the_quarterly_update_asks_only_for_unbound_measures_and_keeps_a_comment(bound):
    _release()
    action = bound.action
    typed = action.measures.exclude(pk=bound.pk).get()
    lead = member(action.partnership, seat=Seat.POLICE, email="lead@police.example")
    client = signed_in(lead)
    url = reverse("plans:action_progress", args=[action.partnership.slug, action.pk])

    page = client.get(url, {"quarter": Q2.code}).content.decode()
    assert f'name="actual_{typed.pk}"' in page
    assert f'name="actual_{bound.pk}"' not in page
    assert f'name="comment_{bound.pk}"' in page
    assert "Filled automatically" in page and "Source: Police recorded crime (Table C2)" in page

    before = MeasureActual.objects.get(measure=bound).value
    with pytest.raises(ValidationError, match="cannot be typed"):
        action_progress_report(
            acting_user=lead,
            action=action,
            quarter=Q2,
            narrative="Patrols.",
            status="on_track",
            actuals={bound.pk: Decimal(1)},
        )
    assert MeasureActual.objects.get(measure=bound).value == before

    response = client.post(
        url,
        {
            "quarter": Q2.code,
            "status": "on_track",
            "narrative": "Two hotspots patrolled.",
            f"actual_{typed.pk}": "350",
            f"actual_{bound.pk}": "1",  # not a field of the form: ignored
            f"comment_{bound.pk}": "The night-time economy reopened in August.",
        },
    )
    assert response.status_code == 302
    actual = MeasureActual.objects.get(measure=bound)
    assert actual.value == before
    assert actual.comment == "The night-time economy reopened in August."
    assert MeasureActual.objects.get(measure=typed).value == 350
    page = client.get(url).content.decode()
    assert "Comment: The night-time economy reopened in August." in page
