"""The strategic assessment cycle in a real browser, JavaScript on and off, axe on every page:
the coordinator opens it and asks for contributions, a police analyst answers, the coordinator
accepts and sends it for review, a strategy group member approves it, and a scrutiny councillor
reads the approved version only."""

import re
from datetime import date, timedelta

import pytest

from accounts.services import backup_codes_replace
from assessments.models import AssessmentStatus, ContributionStatus, SectionKind
from assessments.services import assessments as assessment_services
from demo.recorded_crime import load_demo_release
from partnerships.models import Role, Seat

from ..factories import DEFAULT_PASSWORD, PartnershipFactory, member
from .conftest import Visitor, pass_two_factor, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def partnership(db):
    return PartnershipFactory(name="Trafford", slug="trafford", ons_code="E22000107")


def _menu(visitor: Visitor):
    return visitor.page.get_by_role("navigation", name="Menu")


def _write_all_but_community(assessment, coordinator):
    for section in assessment.sections.exclude(kind=SectionKind.COMMUNITY):
        assessment_services.assessment_section_update(
            acting_user=coordinator,
            section=section,
            revision=section.revision,
            body=f"Our findings on {section.get_kind_display()}.",
        )


def test_the_assessment_from_first_draft_to_approval(new_visitor, partnership, coordinator):
    load_demo_release()
    analyst = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Sam Analyst")
    chief = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE, full_name="Jo Chief")
    councillor = member(partnership, Role.SCRUTINY, full_name="Cllr Reed")

    # The coordinator starts the assessment and sees the police figures already there.
    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.click_link("Assessment", within=_menu(visitor))
    visitor.page.get_by_label("2027/28").check()
    visitor.click_button("Start the assessment")
    assert visitor.heading() == "Strategic assessment 2027/28"
    crime = visitor.page.get_by_test_id("section-crime_levels")
    assert "18,009" in crime.inner_text()
    assert crime.locator("svg[role=img]").count() >= 1
    assert crime.locator("table").count() >= 1

    # The community section, with the annual public meeting; a wrong date is caught first.
    visitor.click_link("Write What the community said")
    visitor.fill("Consultation results", "1,204 residents answered the survey.")
    visitor.fill("Day", "31")
    visitor.fill("Month", "2")
    visitor.fill("Year", "2026")
    visitor.fill("How many people attended", "64")
    visitor.click_button("Save section")
    assert "Enter a real date" in visitor.page.locator(".govuk-error-summary").inner_text()
    visitor.fill("Day", "12")
    visitor.fill("Month", "11")
    visitor.click_button("Save section")
    assert "12 November 2026" in visitor.page.get_by_test_id("section-community").inner_text()

    assessment = partnership.strategic_assessments.get()
    _write_all_but_community(assessment, coordinator)
    visitor.open(f"/p/{partnership.slug}/assessments/{assessment.pk}/")
    visitor.click_link("Add a priority")
    visitor.page.get_by_label("Priority theme").select_option(label="Serious violence")
    visitor.fill("Why it should be a priority", "Violence with injury rose.")
    visitor.fill("Evidence", "Police recorded crime, year ending June 2025.")
    visitor.click_button("Save priority")
    assert "1. Serious violence" in visitor.page.get_by_test_id("priorities").inner_text()

    visitor.click_link("Open for contributions")
    visitor.click_button("Open for contributions")
    visitor.click_link("Request contributions")
    visitor.page.get_by_label("Trafford Police").check()
    visitor.fill("Title", "Violence in the night-time economy")
    visitor.fill("Questions", "What do calls for service show?")
    due = date.today() + timedelta(days=30)  # a due date is at most a year ahead
    visitor.fill("Day", str(due.day))
    visitor.fill("Month", str(due.month))
    visitor.fill("Year", str(due.year))
    visitor.click_button("Send requests")
    summary = visitor.page.get_by_test_id("contribution-summary").inner_text()
    assert "1 of 1 awaiting an answer" in summary

    # The analyst finds the request in their own list, answers it and submits.
    partner = new_visitor()
    partner.sign_in_as(analyst)
    partner.click_link(
        "Requests to you", within=partner.page.get_by_role("navigation", name="Your work")
    )
    partner.click_link("Violence in the night-time economy")
    partner.fill("Your answer", "Calls rose on Friday and Saturday nights.")
    partner.fill("What it measures (figure 1)", "Calls for service, 22:00 to 04:00")
    partner.fill("Value (figure 1)", "3120")
    partner.click_button("Save and submit")
    partner.click_button("Submit contribution")
    assert "Submitted" in partner.page.get_by_test_id("contribution-status").inner_text()

    # The coordinator accepts it and sends the assessment to the strategy group.
    visitor.open(f"/p/{partnership.slug}/assessments/{assessment.pk}/")
    visitor.click_link("Violence in the night-time economy")
    assert "Calls rose on Friday" in visitor.page.get_by_test_id("answer").inner_text()
    visitor.click_link("Accept")
    visitor.click_button("Accept contribution")
    request = assessment.contribution_requests.get()
    request.refresh_from_db()
    assert request.status == ContributionStatus.ACCEPTED
    visitor.open(f"/p/{partnership.slug}/assessments/{assessment.pk}/")
    visitor.click_link("Send to the strategy group")
    visitor.click_button("Send to the strategy group")

    # The scrutiny councillor cannot see the draft.
    reader = new_visitor()
    reader.sign_in_as(councillor)
    assert reader.open(f"/p/{partnership.slug}/assessments/{assessment.pk}/") == 404

    # A strategy group member approves it.
    approver = new_visitor()
    approver.sign_in_as(chief)
    approver.click_link("Assessment", within=_menu(approver))
    approver.click_link("2027/28")
    approver.click_link("Approve")
    approver.fill("Approval note (optional)", "Agreed at the strategy group.")
    approver.click_button("Approve the assessment")
    assessment.refresh_from_db()
    assert assessment.status == AssessmentStatus.APPROVED
    assert (
        "by Jo Chief, Strategy group member"
        in approver.page.get_by_test_id("sign-off").inner_text()
    )

    # Now the councillor reads it, with its PDF, and nothing to edit.
    reader.open(f"/p/{partnership.slug}/assessments/")
    reader.click_link("2027/28")
    assert reader.page.get_by_role("link", name="Download the assessment (PDF)").count() == 1
    assert reader.page.get_by_role("link", name="Change", exact=True).count() == 0
    assert reader.page.get_by_role("link", name=re.compile("^Write")).count() == 0
    assert reader.page.get_by_test_id("contributions").count() == 0


def test_an_administrator_imports_the_crime_table(new_visitor, tmp_path):
    from demo.recorded_crime import EXTRACT

    from ..factories import UserFactory

    admin = UserFactory(is_staff=True, full_name="Platform Admin")
    code = backup_codes_replace(acting_user=admin)[0]
    visitor = new_visitor()
    sign_in(visitor, admin.email, DEFAULT_PASSWORD)
    pass_two_factor(visitor, code)
    visitor.click_link("National data", within=_menu(visitor))

    # A file whose counts are not numbers is refused, with its line, and nothing is imported.
    broken = tmp_path / "broken.csv"
    broken.write_bytes(EXTRACT.read_bytes().replace(b'"18,009 "', b"lots", 1))
    visitor.follow(visitor.page.get_by_role("button", name="Import a table"))
    visitor.page.get_by_label("Upload the table").set_input_files(str(broken))
    visitor.click_button("Import file")
    assert "Line" in visitor.page.get_by_test_id("file-problems").inner_text()
    assert "lots" in visitor.page.get_by_test_id("file-problems").inner_text()

    visitor.page.get_by_label("Upload the table").set_input_files(str(EXTRACT))
    visitor.click_button("Import file")
    assert "Year ending June 2025 imported" in visitor.page.locator("main").inner_text()
