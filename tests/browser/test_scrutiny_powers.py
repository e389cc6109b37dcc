"""The crime and disorder committee's information request in a real browser, JavaScript on (axe
on every page) and off: a councillor asks the partnership for information from the Reports menu, the
coordinator finds it on Your work and answers it, declared depersonalised, and the councillor
finds the answer on their Your work and reads it. An answer that identifies someone is refused:
tests/scrutiny posts the same forms."""

from datetime import date, timedelta

import pytest

from partnerships.models import Role
from scrutiny.models import InformationRequest
from scrutiny.services import committee

from ..factories import DEFAULT_PASSWORD, PartnershipFactory, member
from .conftest import Visitor, sign_in

pytestmark = pytest.mark.browser


def _date(visitor: Visitor, day: date) -> None:
    visitor.fill("Day", str(day.day))
    visitor.fill("Month", str(day.month))
    visitor.fill("Year", str(day.year))


@pytest.mark.parametrize("java_script_enabled", [True, False], ids=["js", "no-js"])
def test_a_councillor_asks_for_information_and_reads_the_answer(new_visitor, db):
    partnership = PartnershipFactory(name="Trafford", slug="trafford")
    councillor = member(partnership, Role.SCRUTINY, full_name="Cllr Joan Whitfield")
    coordinator = member(partnership, Role.COORDINATOR, full_name="Priya Shah")

    asker = new_visitor()
    sign_in(asker, councillor.email, DEFAULT_PASSWORD)
    asker.open("/p/trafford/")
    asker.click_link("Reports", within=asker.page.get_by_role("navigation", name="Menu"))
    asker.click_link("Scrutiny")
    assert asker.heading() == "Scrutiny"
    asker.click_link("Ask for information")
    asker.fill("Subject", "Repeat burglary in Sale")
    asker.fill("What information the committee needs", "How many homes were burgled twice?")
    _date(asker, date.today() + timedelta(days=14))
    asker.click_button("Send the request")
    assert asker.heading() == "Repeat burglary in Sale"
    assert (
        "Awaiting an answer"
        in asker.page.get_by_test_id("information-request-summary").inner_text()
    )

    answerer = new_visitor()
    answerer.sign_in_as(coordinator)
    answerer.open("/")
    answerer.click_link("Information for the scrutiny committee: Repeat burglary in Sale")
    answerer.click_link("Answer the request")
    answerer.fill("Your answer", "41 homes were burgled twice; 9 of them in Sale Moor.")
    answerer.page.get_by_label("I confirm that this answer identifies no one", exact=False).check()
    answerer.click_button("Send the answer")
    assert "Answer sent to the committee." in answerer.page.locator("main").inner_text()
    assert InformationRequest.objects.get().answered_by_name == "Priya Shah"

    asker.open("/")
    asker.click_link("Answer to your information request: Repeat burglary in Sale")
    assert asker.heading() == "Repeat burglary in Sale"
    assert "9 of them in Sale Moor" in asker.page.get_by_test_id("answer").inner_text()
    assert "Answered" in asker.page.get_by_test_id("information-request-summary").inner_text()
    assert asker.page.locator("main form").count() == 0

    # The committee's other pages, for axe: a report with its recommendations and the response
    # form, a call for action with its outcome form, a meeting, and the index listing them.
    report = committee.committee_report_create(
        acting_user=councillor,
        partnership=partnership,
        title="The night-time economy",
        summary="The committee's review.",
        made_on=date.today(),
        recommendations=["Fund the street pastors"],
    )
    call = committee.call_for_action_record(
        acting_user=councillor,
        partnership=partnership,
        matter="Off-road bikes on the towpath",
        ward="Gorse Hill",
        councillor="Cllr Sam Ali",
        details="Most evenings.",
        referred_on=date.today(),
    )
    meeting = committee.scrutiny_meeting_record(
        acting_user=councillor,
        partnership=partnership,
        held_on=date.today(),
        attended_by="Chair of the partnership",
        asked="Why did burglary rise?",
        answered="Two prolific offenders, since charged.",
    )
    answerer.open(f"/p/trafford/scrutiny/reports/{report.pk}/")
    answerer.click_link("Respond to recommendation 1")
    answerer.page.get_by_label("Partly accepted").check()
    answerer.click_button("Send the response")
    assert "Give the reasons" in answerer.page.locator(".govuk-error-summary").inner_text()
    asker.open(f"/p/trafford/scrutiny/calls-for-action/{call.pk}/outcome/")
    assert asker.heading() == "Record the outcome of “Off-road bikes on the towpath”"
    asker.open(f"/p/trafford/scrutiny/meetings/{meeting.pk}/")
    assert "Two prolific offenders" in asker.page.get_by_test_id("answered").inner_text()
    asker.open("/p/trafford/scrutiny/")
    assert "The night-time economy" in asker.page.get_by_test_id("committee-reports").inner_text()
