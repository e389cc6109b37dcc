"""Evidence that works for the analyst, in a real browser with axe on every page: the coordinator
binds a measure to violence with injury per 1,000 residents, a platform administrator imports a
release, and the measure's actual appears with its provenance; then, with JavaScript off, the
evidence trail from the published priority to the figures behind it. One journey, JavaScript on
for the first part and off for the second, rather than twice over."""

import csv
import io
from datetime import date
from decimal import Decimal

import pytest

from assessments.models import EvidenceKind
from assessments.services import assessments as assessment_services
from assessments.services.evidence import priority_evidence_cite
from demo.recorded_crime import EXTRACT, POPULATION_EXTRACT, load_demo_release
from partnerships.models import Role, Seat
from plans.models import MeasureActual
from plans.services import approval, drafting
from recorded_crime.services import population_edition_import

from ..assessments.conftest import complete
from ..factories import (
    DistrictFactory,
    PartnershipFactory,
    UserFactory,
    member,
    organisation_in,
)
from ..plans.conftest import sign_off_by_every_seat
from ..recorded_crime.conftest import file_counts
from .conftest import _NO_JS_CONTEXTS, WAIT_LIMIT_MS, Visitor

pytestmark = pytest.mark.browser

YEAR = 2027  # the plan's first year; the release imported is for the year ending September 2027


@pytest.fixture(params=[True], ids=["js"])
def java_script_enabled(request) -> bool:
    return request.param


@pytest.fixture
def partnership(db):
    trafford = PartnershipFactory(name="Trafford", slug="trafford", ons_code="E22000107")
    trafford.districts.set([DistrictFactory(code="E08000009", name="Trafford")])
    return trafford


@pytest.fixture
def draft_plan(partnership, coordinator):
    """A draft plan from an approved assessment whose priority cites violence with injury in the
    year ending June 2025, with an action and a measure typed by hand so far."""
    load_demo_release()
    population_edition_import(
        acting_user=None,
        data=POPULATION_EXTRACT.read_bytes(),
        file_name=POPULATION_EXTRACT.name,
        mid_year=2023,
    )
    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    complete(assessment, coordinator)
    priority_evidence_cite(
        acting_user=coordinator,
        priority=assessment.priorities.get(),
        kind=EvidenceKind.CRIME,
        offence_key="violence_with_injury",
    )
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=assessment)
    assessment_services.assessment_approve(
        acting_user=member(partnership, Role.STRATEGY_MEMBER, seat=Seat.LOCAL_AUTHORITY),
        assessment=assessment,
    )
    plan = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    action = drafting.plan_action_save(
        acting_user=coordinator,
        priority=plan.priorities.get(),
        description="Fund detached youth work on Friday and Saturday nights",
        lead_organisation=organisation_in(partnership, Seat.LOCAL_AUTHORITY),
        start_date=date(YEAR, 4, 1),
        due_date=date(YEAR + 2, 3, 31),
    )
    drafting.measure_save(
        acting_user=coordinator,
        action=action,
        name="Violence with injury per 1,000",
        baseline=Decimal("5.8"),
        target=Decimal("5.0"),
        higher_is_better=False,
    )
    return plan


def _later_release(tmp_path):
    """SYNTHETIC, not published data: the demo extract re-dated to the year ending September
    2027 (a period the plan covers), counts unchanged."""
    records = list(csv.reader(io.StringIO(EXTRACT.read_text(), newline="")))
    records[0][0] = records[0][0].replace("June 2025", "September 2027")
    for record in records[8:]:
        record[6:] = [f"{n:,} " for n in file_counts(record).values()]
    path = tmp_path / "prc_tableC2_ye_sep2027.csv"
    with path.open("w", newline="") as handle:
        csv.writer(handle, lineterminator="\r\n").writerows(records)
    return path


def test_a_bound_measure_fills_itself_and_a_priority_leads_to_its_figures(
    new_visitor, browser, live_server, partnership, coordinator, draft_plan, tmp_path
):
    measure = draft_plan.actions.get().measures.get()
    slug = partnership.slug

    # The coordinator binds the measure to violence with injury per 1,000 residents.
    lead = new_visitor()
    lead.sign_in_as(coordinator)
    lead.open(f"/p/{slug}/plans/{draft_plan.pk}/measures/{measure.pk}/")
    lead.page.get_by_label("Fill the actual from imported figures (optional)").select_option(
        label="Police recorded crime: Violence with injury, offences per 1,000 residents"
    )
    lead.click_button("Save measure")
    assert (
        "filled from Police recorded crime: Violence with injury"
        in lead.page.locator("main").inner_text()
    )

    approval.plan_open_consultation(acting_user=coordinator, plan=draft_plan)
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()
    }
    sign_off_by_every_seat(draft_plan, signers)
    approval.plan_publish(acting_user=coordinator, plan=draft_plan)

    # A platform administrator imports a release for a period the plan covers.
    admin = UserFactory(is_staff=True, email="admin@example.org")
    staff = new_visitor()
    staff.sign_in_as(admin)
    staff.open("/national-data/recorded-crime/upload/")
    staff.page.get_by_label("Upload the table").set_input_files(str(_later_release(tmp_path)))
    staff.click_button("Import file")
    assert "Year ending September 2027 imported" in staff.page.locator("main").inner_text()

    # The actual is there, with where it came from.
    actual = MeasureActual.objects.get(measure=measure)
    assert actual.value == Decimal("5.80")  # 1,369 / 237,480 residents x 1,000
    lead.open(f"/p/{slug}/actions/{draft_plan.actions.get().pk}/progress/")
    measures = lead.page.locator("main").inner_text()
    assert "Filled automatically" in measures
    assert "Source: Police recorded crime (Table C2), year ending September 2027" in measures
    assert "Imported by admin@example.org" in measures

    # With JavaScript off: from the published priority to the figures behind it.
    context = browser.new_context(java_script_enabled=False)
    context.set_default_timeout(WAIT_LIMIT_MS)
    _NO_JS_CONTEXTS.add(context)
    try:
        reader = Visitor(context.new_page(), live_server.url, java_script_enabled=False)
        reader.sign_in_as(coordinator)
        reader.open(f"/p/{slug}/plans/{draft_plan.pk}/")
        why = reader.page.get_by_test_id("priority-evidence").inner_text()
        assert "1,369 offences" in why
        # A newer release arrived after approval: the priority says so.
        assert (
            "The evidence has changed since this plan was approved."
            in reader.page.locator("main").inner_text()
        )
        reader.click_link(
            "Police recorded crime: Violence with injury, year ending June 2025",
            within=reader.page.get_by_test_id("priority-evidence"),
        )
        assert reader.page.locator("#crime-e22000107-heading").is_visible()
        rates = reader.page.get_by_test_id("crime-rates").inner_text()
        assert "Violence with injury" in rates and "5.8" in rates
    finally:
        _NO_JS_CONTEXTS.discard(context)
        context.close()
