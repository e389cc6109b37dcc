"""Community safety grants in a real browser, JavaScript on and off, axe on every page: the
mayor's office records a grant for an action of Trafford's plan from its force-area page (a bad
amount refused first), Trafford's coordinator accepts it and reports a quarter's spend, and the
grant shows in the plan's resources section and on the force-area page."""

import pytest

from authorities.services import local_policing_bodies_record
from partnerships.models import Role
from plans.models import CommunitySafetyGrant, GrantSpendReturn, GrantStatus

from ..factories import (
    OrganisationFactory,
    PartnershipFactory,
    PoliceForceAreaFactory,
    UserFactory,
    member,
)
from ..oversight.conftest import pcc_member, published_plan

pytestmark = pytest.mark.browser


def test_a_grant_offered_accepted_and_spent(new_visitor, db):
    area = PoliceForceAreaFactory(name="Greater Manchester", code="E23000005")
    local_policing_bodies_record(acting_user=None, areas=[area])
    trafford = PartnershipFactory(name="Trafford", slug="trafford", police_force_area=area)
    office_org = OrganisationFactory(name="Greater Manchester Combined Authority", kind="pcc")
    pcc = pcc_member(trafford, office_org, UserFactory(full_name="Tom Ashworth"))
    coordinator = member(trafford, Role.COORDINATOR, full_name="Priya Shah")
    plan = published_plan(trafford, coordinator)
    action = plan.actions.get()

    office = new_visitor()
    office.sign_in_as(pcc)
    office.open("/pcc/")
    office.click_link("Trafford grants")
    assert office.heading() == "Community safety grants"
    office.click_link("Record a grant")
    office.fill("What the grant is for", "Youth diversion")
    office.fill("Amount (£)", "-10")
    office.page.get_by_label(action.description[:80], exact=True).check()
    office.click_button("Save grant")
    assert (
        "Enter an amount of £0 or more" in office.page.locator(".govuk-error-summary").inner_text()
    )
    assert not CommunitySafetyGrant.objects.exists()
    office.fill("Amount (£)", "25000")
    office.click_button("Save grant")
    assert office.heading() == "Youth diversion"
    summary = office.page.get_by_test_id("grant").inner_text()
    assert "Mayor of Greater Manchester" in summary and "£25,000" in summary
    grant = CommunitySafetyGrant.objects.get()
    assert list(grant.actions.all()) == [action]

    partnership = new_visitor()
    partnership.sign_in_as(coordinator)
    partnership.open(f"/p/trafford/grants/{grant.pk}/")
    partnership.click_link("Accept the grant")
    partnership.click_button("Accept the grant")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.ACCEPTED
    partnership.click_link("Report spend")
    partnership.fill("Amount spent this quarter (£)", "4000")
    partnership.fill("Outcome", "Two youth workers in Stretford.")
    partnership.click_button("Save spend return")
    assert partnership.heading() == "Youth diversion"
    assert "£4,000" in partnership.page.get_by_test_id("returns").inner_text()
    assert GrantSpendReturn.objects.count() == 1

    # The plan's resources section lists it; the force-area page adds it up.
    partnership.open(f"/p/trafford/plans/{plan.pk}/")
    resources = partnership.page.get_by_test_id("section-resources").inner_text()
    assert "Youth diversion" in resources and "£4,000" in resources
    office.open("/pcc/")
    totals = office.page.get_by_test_id("grants").inner_text()
    assert "£25,000" in totals and "£4,000" in totals
