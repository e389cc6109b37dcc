"""A mayor's office (holding Greater Manchester's police and crime commissioner functions) in a
real browser, JavaScript on and off, axe on every page: the force-area page under the mayor's
title, a police and crime plan priority edited, a report requested (a past due date
refused first), the coordinator's answer with a document, the answer and history seen by the
PCC, and a combination approval recorded."""

from datetime import date, timedelta

import pytest

from authorities.services import local_policing_bodies_record
from oversight.models import CombinationApproval, ReportDocument, ReportRequest
from partnerships.models import Role
from plans.models import PoliceAndCrimePlanPriority

from ..factories import DEFAULT_PASSWORD, PartnershipFactory, PoliceForceAreaFactory, member
from ..oversight.conftest import pcc_member, published_plan
from .conftest import Visitor, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def force_area(db):
    area = PoliceForceAreaFactory(name="Greater Manchester", code="E23000005")
    local_policing_bodies_record(acting_user=None, areas=[area])
    return area


@pytest.fixture
def trafford(force_area):
    return PartnershipFactory(name="Trafford", slug="trafford", police_force_area=force_area)


@pytest.fixture
def bolton(force_area):
    return PartnershipFactory(name="Bolton", slug="bolton", police_force_area=force_area)


@pytest.fixture
def pcc(trafford, bolton):
    from tests.factories import OrganisationFactory, UserFactory

    office = OrganisationFactory(name="Greater Manchester Combined Authority", kind="pcc")
    user = pcc_member(trafford, office, UserFactory(full_name="Tom Ashworth"))
    return pcc_member(bolton, office, user)


@pytest.fixture
def coordinator(trafford):
    return member(trafford, Role.COORDINATOR, full_name="Priya Shah")


def _date(visitor: Visitor, day: date) -> None:
    visitor.fill("Day", str(day.day))
    visitor.fill("Month", str(day.month))
    visitor.fill("Year", str(day.year))


def test_a_mayors_office_journey(
    new_visitor, trafford, bolton, pcc, coordinator, force_area, tmp_path
):
    priorities = [
        PoliceAndCrimePlanPriority.objects.create(
            police_force_area=force_area, title=title, position=index
        )
        for index, title in enumerate(["Keeping people safe", "Reducing harm"], start=1)
    ]
    published_plan(trafford, coordinator, serves=priorities[:1])

    office = new_visitor()
    sign_in(office, pcc.email, DEFAULT_PASSWORD)
    office.open("/p/trafford/")
    # The role is named by the body the office works for.
    assert "Office of the Mayor of Greater Manchester" in office.page.locator("header").inner_text()
    office.click_link("Force area")
    assert office.heading() == "Your force area"
    assert (
        "Mayor of Greater Manchester"
        in office.page.get_by_test_id("local-policing-body").inner_text()
    )
    alignment = office.page.get_by_test_id("alignment").inner_text()
    assert "Keeping people safe" in alignment and "Anti-social behaviour" in alignment
    assert "Bolton" in office.page.get_by_test_id("cycle").inner_text()

    # A priority of the police and crime plan, edited.
    office.click_link("Police and crime plan priorities for Greater Manchester")
    office.click_link("Edit Keeping people safe")
    office.fill("Title", "Keeping people safe and supporting victims")
    office.click_button("Save priority")
    assert (
        "Keeping people safe and supporting victims"
        in office.page.get_by_test_id("pcc-priorities").inner_text()
    )

    # A report requested: a past due date is refused first, then it goes.
    office.click_link("Back to your force area")
    office.click_link("Request a report from Trafford")
    office.fill("Issue of concern", "Knife crime in Stretford")
    office.fill("What the report should cover", "What each partner is doing.")
    _date(office, date.today() - timedelta(days=1))
    office.click_button("Send request")
    assert (
        "The due date must be in the future"
        in office.page.locator(".govuk-error-summary").inner_text()
    )
    assert not ReportRequest.objects.exists()
    due = date.today() + timedelta(days=21)
    _date(office, due)
    office.click_button("Send request")
    assert office.heading() == "Knife crime in Stretford"
    report_request = ReportRequest.objects.get()

    # The coordinator answers with a document.
    answer = new_visitor()
    answer.sign_in_as(coordinator)
    answer.open("/p/trafford/")
    answer.click_link("Reports", within=answer.page.get_by_role("navigation", name="Menu"))
    answer.click_link("Report requests")
    answer.click_link("Knife crime in Stretford")
    answer.click_link("Answer the request")
    answer.fill("Your answer", "Patrols doubled since **April**; figures attached.")
    report = tmp_path / "knife-crime-report.pdf"
    report.write_bytes(b"%PDF-1.7 the partnership's report")
    answer.page.get_by_label("Documents (optional)", exact=True).set_input_files(str(report))
    answer.click_button("Send answer")
    assert (
        "Answer sent to the Mayor of Greater Manchester."
        in answer.page.locator("main").inner_text()
    )
    assert ReportDocument.objects.get().original_name == "knife-crime-report.pdf"

    # The PCC sees the answer and the whole history.
    office.open(f"/p/trafford/report-requests/{report_request.pk}/")
    history = office.page.get_by_test_id("history").inner_text()
    assert "Report requested" in history and "Answered" in history
    assert "Priya Shah" in history and "Tom Ashworth" in history
    assert "knife-crime-report.pdf" in history
    summary = office.page.get_by_test_id("report-request-summary").inner_text()
    assert "Answered" in summary and "Mayor of Greater Manchester" in summary

    # A combination of Trafford and Bolton approved.
    office.open("/pcc/")
    office.click_link("Combinations of partnerships")
    office.click_link("Record an approval")
    office.page.get_by_label("Trafford", exact=True).check()
    office.page.get_by_label("Bolton", exact=True).check()
    _date(office, date.today())
    office.fill("Decision reference", "PCC/2026/031")
    office.click_button("Record approval")
    approvals = office.page.get_by_test_id("approvals").inner_text()
    assert (
        "PCC/2026/031" in approvals and "Approved by the Mayor of Greater Manchester" in approvals
    )
    assert set(CombinationApproval.objects.get().partnerships.all()) == {trafford, bolton}
