"""The scrutiny committee's journey in a real browser, JavaScript on and off, axe on every page: the
coordinator issues the quarter's progress report; a councillor finds Reports in the menu, reads
the approved assessment, the published plan, the report with its change since the last one and
the review counts, gets a PDF, and finds that a draft is not there for them."""

from datetime import date
from decimal import Decimal

import pytest

from partnerships.models import Role, Seat
from plans import deadlines
from plans.models import ActionStatus, ProgressReport, Quarter
from plans.services import approval, drafting
from plans.services.progress import action_progress_report
from plans.services.reports import progress_report_issue

from ..factories import PartnershipFactory, member, organisation_in
from ..plans.conftest import approved_assessment, sign_off_by_every_seat
from ..reviews.conftest import notify

pytestmark = pytest.mark.browser

YEAR = 2027
TODAY = date(YEAR, 11, 15)  # 2027/28 Q3: Q2 is the last completed quarter
Q1, Q2 = Quarter(YEAR, 1), Quarter(YEAR, 2)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(deadlines, "local_today", lambda: TODAY)


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Trafford", slug="trafford")


@pytest.fixture
def plan(partnership, coordinator):
    """The published plan, with a report issued for Q1 before the patrols had reported, the
    patrols' Q1 and Q2 updates since, a draft refresh, and one review recorded."""
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=partnership,
        assessment=approved_assessment(partnership, coordinator, year=YEAR),
    )
    action = drafting.plan_action_save(
        acting_user=coordinator,
        priority=plan.priorities.get(theme="anti_social_behaviour"),
        description="Patrol the three hotspots on Friday and Saturday nights",
        lead_organisation=organisation_in(partnership, Seat.POLICE),
        start_date=date(YEAR, 4, 1),
        due_date=date(YEAR + 1, 3, 31),
    )
    measure = drafting.measure_save(
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
    plan = approval.plan_publish(acting_user=coordinator, plan=plan)
    progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1, today=date(YEAR, 7, 10))
    for quarter, value in ((Q1, 380), (Q2, 350)):
        action_progress_report(
            acting_user=coordinator,
            action=action,
            quarter=quarter,
            narrative="Patrolled.",
            status=ActionStatus.ON_TRACK,
            actuals={measure.pk: Decimal(value)},
        )
    notify(partnership, coordinator, pseudonym="Adult A")
    return plan


def test_the_coordinator_issues_and_a_councillor_reads_it(
    new_visitor, partnership, coordinator, plan
):
    refresh = drafting.plan_refresh(
        acting_user=coordinator,
        plan=plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )

    office = new_visitor()
    office.sign_in_as(coordinator)
    office.open("/p/trafford/reports/")
    office.click_link("Issue a progress report")
    assert office.heading() == "Issue a progress report"
    assert office.page.get_by_label("2027/28 Q2: July to September 2027").is_checked()
    office.click_button("Issue the progress report")
    assert office.heading() == "Progress report 2027/28 Q2"
    assert "Progress report for 2027/28 Q2 issued." in office.page.inner_text("main")
    assert ProgressReport.objects.count() == 2

    councillor = member(partnership, Role.SCRUTINY, full_name="Cllr Jo Bloggs")
    visitor = new_visitor()
    visitor.sign_in_as(councillor)
    visitor.open("/p/trafford/")
    visitor.click_link("Reports", within=visitor.page.get_by_role("navigation", name="Menu"))
    assert visitor.heading() == "Reports"
    counts = visitor.page.get_by_test_id("review-counts").inner_text()
    assert "2026" in counts and "Notified" in counts and "1" in counts
    assert "Adult A" not in visitor.page.content()

    visitor.click_link(
        "Strategic assessment 2027/28, version 1", within=visitor.page.get_by_test_id("assessments")
    )
    assert "Strategic assessment" in visitor.heading()
    visitor.page.go_back()

    plans = visitor.page.get_by_test_id("plans")
    assert "Draft" not in plans.inner_text()
    visitor.click_link("Partnership plan 2027 to 2030, version 1", within=plans)
    assert "2027 to 2030" in visitor.heading()
    visitor.page.go_back()
    # The plan's PDF page: publication made the PDF, so it is ready without anyone asking, and
    # there is no button to make one, since scrutiny writes nothing.
    visitor.click_link("PDF of the Partnership plan 2027 to 2030, version 1", within=plans)
    assert visitor.heading() == "Partnership plan (PDF)"
    assert "Ready" in visitor.page.get_by_test_id("document-status").inner_text()
    assert visitor.page.locator("main form").count() == 0
    visitor.page.go_back()

    visitor.click_link(
        "Progress report 2027/28 Q2", within=visitor.page.get_by_test_id("progress-reports")
    )
    assert visitor.heading() == "Progress report 2027/28 Q2"
    assert "Progress report 2027/28 Q1" in visitor.page.get_by_test_id("compared-with").inner_text()
    total = visitor.page.locator('[data-priority="total"]').inner_text()
    assert "down 1" in total and "up 1" in total  # not started -> on track
    assert "350" in visitor.page.get_by_test_id("latest").inner_text()
    assert visitor.page.get_by_test_id("then").inner_text().strip() == "–"  # none in Q1's
    assert visitor.page.locator("main form").count() == 0

    pdf_link = visitor.page.get_by_role("link", name="This report as a PDF")
    pdf = visitor.page.request.get(visitor.base_url + pdf_link.get_attribute("href"))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"

    assert visitor.open(f"/p/trafford/plans/{refresh.pk}/") == 404
    assert visitor.open(f"/p/trafford/plans/{plan.pk}/progress/") == 404
    assert visitor.open("/p/trafford/reports/progress/issue/") == 404
