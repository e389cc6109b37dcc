"""Progress on the plan in force, in a real browser, JavaScript on and off, axe on every page: a
police analyst finds the action their force leads in Your actions, reports the quarter with a
measure's actual (after a mistyped figure is caught), and the coordinator sees it on the
progress dashboard."""

from datetime import date
from decimal import Decimal

import pytest

from partnerships.models import Role, Seat
from plans.models import ActionStatus, MeasureActual, ProgressUpdate, Quarter
from plans.services import approval, drafting

from ..factories import PartnershipFactory, member, organisation_in
from ..plans.conftest import approved_assessment, sign_off_by_every_seat

pytestmark = pytest.mark.browser


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Trafford", slug="trafford")


@pytest.fixture
def plan_in_force(partnership, coordinator):
    """A published plan whose period contains today, with one action the police lead."""
    year = Quarter.containing(date.today()).year_start
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator, year=year),
    )
    action = drafting.plan_action_save(
        acting_user=coordinator,
        priority=plan.priorities.get(theme="anti_social_behaviour"),
        description="Patrol the three hotspots on Friday and Saturday nights",
        lead_organisation=organisation_in(partnership, Seat.POLICE),
        start_date=date(year, 4, 1),
        due_date=date(year + 1, 3, 31),
    )
    drafting.measure_save(
        acting_user=coordinator,
        action=action,
        name="Incidents reported",
        unit="incidents",
        baseline=Decimal(400),
        target=Decimal(320),
        higher_is_better=False,
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat) for seat in Seat.statutory()
    }
    sign_off_by_every_seat(plan, signers)
    return approval.plan_publish(acting_user=coordinator, plan=plan)


def test_a_partner_reports_progress_and_the_coordinator_sees_it(
    new_visitor, partnership, coordinator, plan_in_force
):
    analyst = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Sam Analyst")
    quarter = Quarter.containing(date.today())

    partner = new_visitor()
    partner.sign_in_as(analyst)
    partner.open("/my-actions/")
    assert partner.heading() == "Your actions"
    row = partner.page.get_by_test_id("my-actions").inner_text()
    assert "Trafford" in partner.page.locator("main").inner_text()
    assert f"{quarter} update due by" in row
    partner.click_link("Patrol the three hotspots on Friday and Saturday nights")
    assert partner.page.get_by_label("Quarter", exact=True).input_value() == quarter.code

    # A figure that is not a number is caught, and the page says where.
    partner.fill("Progress this quarter", "Patrols ran on 22 of 26 weekend nights.")
    partner.page.get_by_label("On track", exact=True).check()
    partner.fill("Incidents reported (incidents)", "about 350")
    partner.click_button("Save progress")
    summary = partner.page.locator(".govuk-error-summary").inner_text()
    assert "Enter the actual for Incidents reported as a number" in summary
    assert not ProgressUpdate.objects.exists()

    partner.fill("Incidents reported (incidents)", "350")
    partner.click_button("Save progress")
    assert f"Progress for {quarter} saved." in partner.page.locator("main").inner_text()
    assert "On track" in partner.page.get_by_test_id("action-status").inner_text()
    assert "Patrols ran on 22 of 26" in partner.page.get_by_test_id("updates").inner_text()
    assert MeasureActual.objects.get().value == Decimal(350)

    # The coordinator sees it on the dashboard.
    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.open(f"/p/{partnership.slug}/plans/{plan_in_force.pk}/progress/")
    chart = visitor.page.locator("svg[role=img]")
    assert chart.count() == 1
    assert "number of actions at each status" in chart.locator("title").text_content()
    by_status = visitor.page.get_by_test_id("by-status")
    assert "Anti-social behaviour" in by_status.inner_text()
    on_track = list(ActionStatus.values).index(ActionStatus.ON_TRACK)
    cells = by_status.locator("tr[data-priority=anti_social_behaviour] td")
    assert cells.nth(on_track).inner_text() == "1"
    measures = visitor.page.get_by_test_id("measures").inner_text()
    assert "350" in measures and "400" in measures and "320" in measures
    assert f"{quarter}: 1 of 1 action has reported." in visitor.page.locator("main").inner_text()
    visitor.click_link(
        "Patrol the three hotspots on Friday and Saturday nights",
        within=visitor.page.get_by_test_id("actions-anti_social_behaviour"),
    )
    assert "Sam Analyst" in visitor.page.get_by_test_id("updates").inner_text()
