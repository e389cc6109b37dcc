"""Progress reports: the coordinator issues a frozen snapshot of progress for a quarter; scrutiny,
the strategy group and the PCC office read it, with the change since the report before.

The plans of tests/plans/conftest.py start on 1 April 2027. The first report here is issued in
July 2027 (for Q1), the second in November (for Q2)."""

import re
from datetime import date
from decimal import Decimal

import pytest
from django.core import mail
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from audit.models import AuditEvent
from partnerships.models import Role, Seat
from plans import deadlines
from plans.models import ActionStatus, ProgressReport, Quarter
from plans.services import drafting
from plans.services.progress import action_progress_report
from plans.services.reports import progress_report_issue
from tests.conftest import signed_in
from tests.factories import PartnershipFactory, member, organisation_in
from tests.pdf import read_pdf
from tests.shared_world import (  # noqa: F401 (fixtures)
    assessment,
    coordinator,
    media_root,
    partnership,
    signers,
)

from .conftest import (
    YEAR,
    add_action,
    approved_assessment,
    shared_world,
    sign_off_by_every_seat,
)

pytestmark = pytest.mark.django_db

JULY, NOVEMBER = date(YEAR, 7, 10), date(YEAR, 11, 15)
Q1, Q2, Q3 = Quarter(YEAR, 1), Quarter(YEAR, 2), Quarter(YEAR, 3)


@pytest.fixture(autouse=True)
def today(monkeypatch):
    monkeypatch.setattr(deadlines, "local_today", lambda: NOVEMBER)
    return NOVEMBER


@pytest.fixture(scope="module")
def world(module_data):
    """The partnership, its people and the approved assessment, made once (tests/plans/conftest.py's
    ``shared_world``); each test still makes its own plan on them."""
    return module_data.build(lambda: shared_world(today=NOVEMBER))


def publish(plan, coordinator, signers):
    from plans.services import approval

    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    sign_off_by_every_seat(plan, signers)
    return approval.plan_publish(acting_user=coordinator, plan=plan)


@pytest.fixture
def plan(draft_plan, coordinator, signers, partnership):
    """Patrols (police, lower incidents is better) and a refuge review due in September."""
    add_action(draft_plan, coordinator, description="Patrol hotspots")
    drafting.plan_action_save(
        acting_user=coordinator,
        priority=draft_plan.priorities.first(),
        description="Refuge review",
        lead_organisation=organisation_in(partnership, Seat.PROBATION),
        start_date=date(YEAR, 4, 1),
        due_date=date(YEAR, 9, 30),
    )
    return publish(draft_plan, coordinator, signers)


def report(plan, coordinator, action, quarter, status, value, *, today=NOVEMBER):
    action_progress_report(
        acting_user=coordinator,
        action=action,
        quarter=quarter,
        narrative="Reported",
        status=status,
        actuals={action.measures.get().pk: Decimal(value)},
        today=today,
    )


@pytest.fixture
def two_reports(plan, coordinator):
    """Q1's report before anything was reported; Q2's after the patrols reported twice."""
    first = progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1, today=JULY)
    patrols = plan.actions.get(description="Patrol hotspots")
    report(plan, coordinator, patrols, Q1, ActionStatus.ON_TRACK, 380, today=JULY)
    report(plan, coordinator, patrols, Q2, ActionStatus.ON_TRACK, 350)
    second = progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q2)
    return first, second


def report_url(report, name="progress_report"):
    return reverse(
        f"plans:{name}",
        kwargs={"partnership_slug": report.partnership.slug, "report_id": report.pk},
    )


def issue_url(partnership):
    return reverse("plans:progress_report_issue", kwargs={"partnership_slug": partnership.slug})


def reports_url(partnership):
    return reverse("plans:reports", kwargs={"partnership_slug": partnership.slug})


def _state():
    return (
        list(ProgressReport.objects.order_by("pk").values_list("pk", "figures")),
        AuditEvent.objects.count(),
    )


def _row(page: str, marker: str) -> str:
    start = page.index(marker)
    return page[start : page.index("</tr>", start)]


# Issuing ----------------------------------------------------------------------------------------


def test_a_report_is_a_snapshot_that_later_progress_does_not_change(plan, coordinator):
    issued = progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1, today=JULY)
    assert (issued.period, issued.as_at, issued.previous) == (Q1, JULY, None)
    figures = issued.figures
    # Nothing reported yet: both actions not started, both owe Q1's update.
    assert figures["totals"] == {"counts": [2, 0, 0, 0, 0], "total": 2}
    assert [item["action"] for item in figures["overdue"]] == ["Patrol hotspots", "Refuge review"]
    assert figures["measures"][0]["latest"] is None
    assert AuditEvent.objects.filter(action="plan.progress_report_issue").count() == 1

    patrols = plan.actions.get(description="Patrol hotspots")
    report(plan, coordinator, patrols, Q1, ActionStatus.COMPLETE, 300, today=JULY)
    drafting_before = ProgressReport.objects.get(pk=issued.pk).figures
    assert drafting_before == figures


def test_the_next_report_shows_the_change_since_the_last(two_reports, coordinator):
    first, second = two_reports
    assert second.previous == first
    page = signed_in(coordinator).get(report_url(second)).content.decode()
    # Not started, on track, at risk, off track, complete; then all actions.
    total = _row(page, 'data-priority="total"')
    assert "1<br><span" in total and "down 1" in total and "up 1" in total
    measure = _row(page, 'data-testid="measure"')
    assert "350" in measure and "2027/28 Q2" in measure
    assert "–" in measure  # nothing reported in Q1's report
    counts = page[page.index('data-testid="overdue-counts"') :]
    counts = counts[: counts.index("</ul>")]
    # Q2: the refuge review owes its update and is past due; in Q1's report both owed Q1.
    assert "1 update not posted (2027/28 Q2): 2 in the report for 2027/28 Q1" in counts
    assert "1 action past its due date and not complete: 0 in the report for 2027/28 Q1" in counts
    assert "Refuge review" in page[page.index('data-testid="past-due"') :]
    assert "1 of 2 actions had reported for 2027/28 Q2." in page


def test_measures_move_better_or_worse(plan, coordinator):
    patrols = plan.actions.get(description="Patrol hotspots")
    report(plan, coordinator, patrols, Q1, ActionStatus.ON_TRACK, 380, today=JULY)
    progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1, today=JULY)
    report(plan, coordinator, patrols, Q2, ActionStatus.ON_TRACK, 390)  # lower is better
    second = progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q2)
    page = signed_in(coordinator).get(report_url(second)).content.decode()
    then = _row(page, 'data-testid="measure"')
    assert "380" in then and "Worse now" in then


@pytest.mark.parametrize(
    ("quarter", "message"),
    [
        (Q1, "The report for 2027/28 Q1 has been issued. Choose a later quarter."),
        (Quarter(YEAR, 4), "Choose a quarter of the plan's period that has begun."),
        (Quarter(YEAR - 1, 4), "Choose a quarter of the plan's period that has begun."),
    ],
)
def test_reports_go_once_per_quarter_in_order_for_begun_quarters(
    plan, coordinator, quarter, message
):
    progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1, today=JULY)
    before = _state()
    with pytest.raises(ValidationError) as error:
        progress_report_issue(acting_user=coordinator, plan=plan, quarter=quarter)
    assert error.value.message_dict == {"quarter": [message]}
    assert _state() == before


def test_a_report_after_a_later_one_is_refused(plan, coordinator):
    progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q2)
    with pytest.raises(ValidationError):
        progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1)


def test_only_the_plan_in_force_is_reported_on(plan, coordinator, partnership):
    refresh = drafting.plan_refresh(
        acting_user=coordinator,
        plan=plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    with pytest.raises(ValidationError) as error:
        progress_report_issue(acting_user=coordinator, plan=refresh, quarter=Q1)
    assert error.value.code == "not_in_force"
    assert not ProgressReport.objects.exists()


@pytest.mark.parametrize(
    "role", [Role.STRATEGY_MEMBER, Role.CONTRIBUTOR, Role.SCRUTINY, Role.PCC_OFFICE]
)
def test_only_the_coordinator_issues(plan, partnership, role):
    person = member(partnership, role)
    with pytest.raises(PermissionDenied):
        progress_report_issue(acting_user=person, plan=plan, quarter=Q1)
    client = signed_in(person)
    assert client.get(issue_url(partnership)).status_code == 404
    assert client.post(issue_url(partnership), {"quarter": Q1.code}).status_code == 404
    assert not ProgressReport.objects.exists()
    assert mail.outbox == []


def test_a_coordinator_of_another_partnership_cannot_issue(plan):
    elsewhere = member(PartnershipFactory(name="Salford", slug="salford"), Role.COORDINATOR)
    with pytest.raises(PermissionDenied):
        progress_report_issue(acting_user=elsewhere, plan=plan, quarter=Q1)


# The issue page ---------------------------------------------------------------------------------


def test_the_coordinator_issues_from_the_page(plan, coordinator, coordinator_client, partnership):
    page = coordinator_client.get(issue_url(partnership))
    assert page.status_code == 200
    # Q2 (July to September) is the last completed quarter, chosen for them; Q3 has begun.
    assert 'value="2027-2"' in page.text and 'value="2027-3"' in page.text
    assert re.search(r'value="2027-2"\s+checked', page.text)
    assert 'value="2027-4"' not in page.text

    response = coordinator_client.post(issue_url(partnership), {"quarter": Q2.code})
    issued = ProgressReport.objects.get()
    assert response.status_code == 302 and response["Location"] == report_url(issued)
    assert (
        "Progress report for 2027/28 Q2 issued."
        in coordinator_client.get(response["Location"]).content.decode()
    )

    # Now only Q3 may be issued; the page says which report it will be compared with.
    page = coordinator_client.get(issue_url(partnership)).text
    assert 'value="2027-2"' not in page and 'value="2027-3"' in page
    assert "The last report issued was for 2027/28 Q2." in page


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({}, "Select the quarter the report is for"),
        ({"quarter": "2027-4"}, "Choose one of the listed quarters"),
        ({"quarter": "nonsense"}, "Choose one of the listed quarters"),
    ],
)
def test_bad_input_is_refused_with_a_message(plan, coordinator_client, partnership, data, message):
    before = _state()
    response = coordinator_client.post(issue_url(partnership), data)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert _state() == before


def test_without_a_plan_in_force_there_is_nothing_to_issue(draft_plan, coordinator_client):
    page = coordinator_client.get(issue_url(draft_plan.partnership)).text
    assert "There is no plan in force" in page and "<form" not in page.split("<main")[1]
    assert (
        coordinator_client.post(
            issue_url(draft_plan.partnership), {"quarter": "2027-1"}
        ).status_code
        == 400
    )
    assert not ProgressReport.objects.exists()


# Reading ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.COORDINATOR, 200),
        (Role.STRATEGY_MEMBER, 200),
        (Role.SCRUTINY, 200),
        (Role.PCC_OFFICE, 200),
        (Role.CONTRIBUTOR, 404),
    ],
)
def test_who_reads_progress_reports(two_reports, partnership, role, status):
    _first, second = two_reports
    client = signed_in(member(partnership, role))
    for url in (
        report_url(second),
        report_url(second, "progress_report_pdf"),
        reports_url(partnership),
    ):
        assert client.get(url).status_code == status, url


def test_scrutiny_reads_reports_but_not_the_editable_dashboard(two_reports, partnership, plan):
    client = signed_in(member(partnership, Role.SCRUTINY))
    page = client.get(report_url(two_reports[1])).content.decode()
    assert "<form" not in page
    assert f"plans/{plan.pk}/progress/" not in page  # no link to the coordinator's dashboard
    dashboard = reverse(
        "plans:progress_dashboard", kwargs={"partnership_slug": "trafford", "plan_id": plan.pk}
    )
    assert client.get(dashboard).status_code == 404


def test_another_partnerships_reader_gets_404(two_reports):
    stranger = signed_in(member(PartnershipFactory(name="Salford", slug="salford"), Role.SCRUTINY))
    for report in two_reports:
        assert stranger.get(report_url(report)).status_code == 404
        own = reverse(
            "plans:progress_report", kwargs={"partnership_slug": "salford", "report_id": report.pk}
        )
        assert stranger.get(own).status_code == 404


def test_the_pdf_is_tagged_with_the_figures(plan, coordinator):
    from tests.reviews.conftest import notify

    progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1, today=JULY)
    patrols = plan.actions.get(description="Patrol hotspots")
    report(plan, coordinator, patrols, Q2, ActionStatus.ON_TRACK, 350)
    review = notify(plan.partnership, coordinator)
    second = progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q2)
    client = signed_in(member(second.partnership, Role.SCRUTINY))
    response = client.get(report_url(second, "progress_report_pdf"))
    assert response["Content-Type"] == "application/pdf"
    pdf = read_pdf(response.content)
    assert pdf.tagged and pdf.lang == "en" and pdf.pdfua_part == "1"
    assert pdf.title == "Progress report 2027/28 Q2"
    assert pdf.author == "Trafford"
    for heading in (
        "Actions by status",
        "What is overdue",
        "Measures against target",
        "Domestic homicide reviews",
    ):
        assert heading in pdf.outline
    assert len(pdf.figure_alt_texts) == 1
    assert "number of actions at each status" in pdf.figure_alt_texts[0]
    assert "Figures as at 15 November 2027" in pdf.text
    assert "Changes are since the report for 2027/28 Q1." in pdf.text
    assert "Incidents reported" in pdf.text and "350" in pdf.text and "down 1" in pdf.text
    assert "Refuge review" in pdf.text
    assert "2026 Notified 1" in pdf.text  # the review, counted; nothing about it
    assert review.reference not in pdf.text and review.victim_pseudonym not in pdf.text


# The reports page -------------------------------------------------------------------------------


def test_the_reports_page_lists_only_what_is_approved_or_issued(
    two_reports, plan, coordinator, partnership
):
    from tests.reviews.conftest import notify

    drafting.plan_refresh(
        acting_user=coordinator,
        plan=plan,
        assessment=approved_assessment(partnership, coordinator, year=YEAR + 1),
    )
    from assessments.services import assessments as assessment_services

    draft_assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR + 2
    )
    review = notify(partnership, coordinator)
    client = signed_in(member(partnership, Role.SCRUTINY))
    response = client.get(reports_url(partnership))
    page = response.content.decode()
    assert response.status_code == 200
    plans = page[page.index('data-testid="plans"') : page.index('id="assessments"')]
    assert plans.count("<tr") == 2  # the header and the published plan; not the draft refresh
    assert "Published" in plans and "Draft" not in plans
    assessments = page[page.index('data-testid="assessments"') : page.index('id="reviews"')]
    assert str(draft_assessment) not in assessments
    assert assessments.count("/pdf/") == 2  # the two approved assessments
    reports = page[page.index('data-testid="progress-reports"') : page.index('id="plans"')]
    assert "Progress report 2027/28 Q2" in reports and "Progress report 2027/28 Q1" in reports
    counts = page[page.index('data-testid="review-counts"') :]
    assert '<td class="govuk-table__cell govuk-table__cell--numeric">1</td>' in counts
    assert review.reference not in page and review.victim_pseudonym not in page
    assert "Issue a progress report" not in page
    assert "<form" not in page.split("<main")[1]


def test_the_navigation_links_the_reports_page(two_reports, partnership):
    page = signed_in(member(partnership, Role.SCRUTINY)).get(f"/p/{partnership.slug}/about/").text
    assert f'href="{reports_url(partnership)}"' in page
    contributor = signed_in(member(partnership, Role.CONTRIBUTOR))
    assert reports_url(partnership) not in contributor.get(f"/p/{partnership.slug}/about/").text


def _count_queries(client, url) -> int:
    cache.clear()  # measured as worked out, not as kept
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_the_pages_run_a_fixed_number_of_queries(
    two_reports, plan, coordinator, partnership, signers
):
    client = signed_in(member(partnership, Role.SCRUTINY))
    _count_queries(
        client, reports_url(partnership)
    )  # the first visit to a partnership's page writes the session once
    small_index = _count_queries(client, reports_url(partnership))
    small_report = _count_queries(client, report_url(two_reports[1]))

    # Many more actions, measures and reports: the same number of queries.
    newer = drafting.plan_refresh(acting_user=coordinator, plan=plan, assessment=plan.assessment)
    for priority in newer.priorities.all():
        for seat in Seat.statutory():
            add_action(newer, coordinator, seat=seat, priority=priority)
    newer = publish(newer, coordinator, signers)
    last = progress_report_issue(acting_user=coordinator, plan=newer, quarter=Q3)
    assert len(last.figures["measures"]) > 10 and ProgressReport.objects.count() == 3
    assert _count_queries(client, reports_url(partnership)) == small_index
    assert _count_queries(client, report_url(last)) == small_report
    assert small_index <= 12 and small_report <= 10


def test_the_reports_page_is_kept_until_something_is_issued_and_each_role_sees_its_own(
    plan, coordinator, coordinator_client, partnership
):
    """The page is kept under the partnership's change stamp and the member's role: the
    councillor's copy never carries the coordinator's button, and a report issued after both
    have read the page shows on the next visit of each."""
    councillor = signed_in(member(partnership, Role.SCRUTINY))
    for _visit in range(2):
        assert "Issue a progress report" in coordinator_client.get(reports_url(partnership)).text
        kept = councillor.get(reports_url(partnership)).text
        assert "Issue a progress report" not in kept
        assert "No progress report has been issued yet." in kept

    progress_report_issue(acting_user=coordinator, plan=plan, quarter=Q1, today=JULY)

    for client in (councillor, coordinator_client):
        page = client.get(reports_url(partnership)).text
        assert "Progress report 2027/28 Q1" in page
        assert "No progress report has been issued yet." not in page
