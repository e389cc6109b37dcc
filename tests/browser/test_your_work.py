"""Your work in a real browser, axe on every page: a partner (JavaScript off), a strategy group
member (through the sign-in page) and a coordinator each land on Your work once signed in, open
the item at the top, do it, and see it leave the list. The coordinator also reads About this
partnership and the partnership's year (the cycle view)."""

from datetime import date, timedelta

import pytest

from assessments.services import assessments as assessment_services
from authorities.models import OrganisationKind
from oversight.services.report_requests import report_request_create
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from tests.assessments.conftest import complete
from tests.oversight.conftest import pcc_member
from tests.reminders.conftest import request_to

from ..factories import DEFAULT_PASSWORD, OrganisationFactory, member, organisation_in
from .conftest import _NO_JS_CONTEXTS, WAIT_LIMIT_MS, Visitor, sign_in

pytestmark = pytest.mark.browser

YEAR = date.today().year + 1


@pytest.fixture
def make_visitor(browser, live_server, settings):
    """A visitor in a fresh browser context, JavaScript on unless asked: each person's journey
    runs once, the partner's with JavaScript off."""
    settings.CSP_SITE_URL = live_server.url
    contexts = []

    def make(*, java_script: bool = True) -> Visitor:
        context = browser.new_context(java_script_enabled=java_script)
        context.set_default_timeout(WAIT_LIMIT_MS)
        if not java_script:
            _NO_JS_CONTEXTS.add(context)
        contexts.append(context)
        return Visitor(context.new_page(), live_server.url, java_script_enabled=java_script)

    yield make
    for context in contexts:
        _NO_JS_CONTEXTS.discard(context)
        context.close()


def _work(visitor: Visitor) -> list[str]:
    """The titles of the person's own items on Your work, top first."""
    lists = visitor.page.locator('[data-testid^="work-"]:not([data-testid="work-overseen"]) li a')
    return [title.strip() for title in lists.filter(has_not_text="About").all_inner_texts()]


def _open_top_item(visitor: Visitor) -> None:
    visitor.follow(
        visitor.page.locator('[data-testid^="work-"] li a.govuk-link').first,
    )


def test_each_person_opens_the_top_item_of_their_work_does_it_and_it_leaves_the_list(
    make_visitor, partnership, coordinator
):
    analyst = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Sam Analyst")
    chief = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE, full_name="Jo Chief")
    # An assessment waiting for the strategy group, and next year's asking the police.
    in_review = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR
    )
    assessment_services.assessment_open_contributions(acting_user=coordinator, assessment=in_review)
    complete(in_review, coordinator)
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=in_review)
    next_year = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=YEAR + 1
    )
    assessment_services.assessment_open_contributions(acting_user=coordinator, assessment=next_year)
    request_to(
        next_year,
        coordinator,
        organisation_in(partnership, Seat.POLICE),
        due=date.today() + timedelta(days=30),
        title="Violence data",
    )
    # A report the PCC office asked the partnership for.
    office = OrganisationFactory(name="Greater Manchester PCC", kind=OrganisationKind.PCC)
    pcc = pcc_member(partnership, office)
    report_request_create(
        acting_user=pcc,
        membership=membership_for(user=pcc, partnership_slug=partnership.slug),
        title="Knife crime in Stretford",
        body="What each partner is doing.",
        due_date=date.today() + timedelta(days=21),
    )

    # The partner, JavaScript off: the request to their organisation is at the top.
    partner = make_visitor(java_script=False)
    partner.sign_in_as(analyst)
    assert partner.heading() == "Your work"
    assert _work(partner) == ["Violence data (Trafford Police)"]
    _open_top_item(partner)
    partner.fill("Your answer", "Calls rose on Friday and Saturday nights.")
    partner.fill("What it measures (figure 1)", "Calls for service, 22:00 to 04:00")
    partner.fill("Value (figure 1)", "3120")
    partner.click_button("Save and submit")
    partner.click_button("Submit contribution")
    partner.click_link("CSP Portal")
    assert _work(partner) == []
    assert "You have nothing to do at the moment." in partner.page.locator("main").inner_text()

    # The strategy group member: the assessment to sign off comes first.
    member_visitor = make_visitor()
    sign_in(member_visitor, chief.email, DEFAULT_PASSWORD)
    assert _work(member_visitor)[0] == str(in_review)
    _open_top_item(member_visitor)
    member_visitor.click_link("Approve")
    member_visitor.click_button("Approve the assessment")
    member_visitor.click_link("CSP Portal")
    assert str(in_review) not in _work(member_visitor)

    # The coordinator: the PCC's request, answered from the item itself.
    runner = make_visitor()
    runner.sign_in_as(coordinator)
    assert _work(runner)[0] == "Report for the PCC: Knife crime in Stretford"
    _open_top_item(runner)
    runner.click_link("Answer the request")
    runner.fill("Your answer", "Patrols doubled since April.")
    runner.click_button("Send answer")
    runner.click_link("CSP Portal")
    assert "Report for the PCC: Knife crime in Stretford" not in _work(runner)

    # About this partnership and the partnership's year, one click from Your work.
    runner.click_link("The partnership's year Trafford")
    assert runner.heading() == "The partnership's year"
    year = runner.page.get_by_test_id("cycle-contribution_request").inner_text()
    assert "Nothing open." in year  # the police answered
    runner.click_link("CSP Portal")
    runner.click_link("About this partnership Trafford")
    assert runner.heading() == "About this partnership"
