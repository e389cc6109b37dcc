"""The Welsh journey (issue 16's quality bar), in a real browser, JavaScript on and off, axe on
every page: a Cwm Taf partner answers a contribution request, and Cardiff's coordinator signs in
with two-factor, drafts the plan's summary in English and in Welsh side by side, and publishes
it; the plan's documents are listed in both languages; the public page then reads in Welsh.
Every page is asked for in Welsh (the browser's Accept-Language), and every label the test finds
or reads is the Welsh catalogue's (``cy()``), so a page left in English fails it."""

import pytest
from django.utils import translation
from django.utils.translation import gettext

from accounts.services import backup_codes_replace
from assessments.services import assessments as assessment_services
from authorities.models import Nation
from partnerships.models import Role, Seat
from partnerships.selectors import membership_for
from plans.models import PlanStatus
from plans.services import approval, drafting

from ..assessments.conftest import send_request
from ..factories import DEFAULT_PASSWORD, PartnershipFactory, member, organisation_in
from ..plans.conftest import approved_assessment
from .conftest import Visitor

pytestmark = pytest.mark.browser

SUMMARY = "Safer streets for everyone in Cardiff."
SUMMARY_CY = "Strydoedd mwy diogel i bawb yng Nghaerdydd."


def cy(message: str) -> str:
    """The Welsh of an interface string, as the catalogue has it."""
    with translation.override("cy"):
        return gettext(message)


def _in_welsh(visitor: Visitor) -> Visitor:
    visitor.page.context.set_extra_http_headers({"Accept-Language": "cy"})
    return visitor


def _assert_welsh(visitor: Visitor) -> None:
    assert visitor.page.locator("html").get_attribute("lang") == "cy"


def _sign_in(visitor: Visitor, email: str, code: str | None = None) -> None:
    visitor.open("/account/sign-in/")
    _assert_welsh(visitor)
    visitor.fill(cy("Email address"), email)
    visitor.fill(cy("Password"), DEFAULT_PASSWORD)
    visitor.click_button(cy("Sign in"))
    if code is not None:
        assert visitor.heading() == cy("Enter your security code")
        visitor.fill(cy("Security code"), code)
        visitor.click_button(cy("Continue"))
    assert visitor.heading() == cy("Your work")
    _assert_welsh(visitor)


def test_the_welsh_journey(new_visitor):
    # Welsh interface strings the journey reads really are translated.
    assert cy("Your work") == "Eich gwaith"
    assert cy("Sign in") != "Sign in"

    cwm_taf = PartnershipFactory(
        name="Cwm Taf", slug="cwm-taf", nation=Nation.WALES, ons_code="W14000023"
    )
    cwm_taf_coordinator = member(cwm_taf, Role.COORDINATOR, email="coordinator@cwmtaf.example")
    assessment = assessment_services.assessment_start(
        acting_user=cwm_taf_coordinator, partnership=cwm_taf, year_start=2027
    )
    assessment_services.assessment_open_contributions(
        acting_user=cwm_taf_coordinator, assessment=assessment
    )
    send_request(
        assessment,
        cwm_taf_coordinator,
        organisation_in(cwm_taf, Seat.POLICE),
        title="Trais yn economi'r nos",
    )
    analyst = member(cwm_taf, Role.CONTRIBUTOR, seat=Seat.POLICE, email="analyst@cwmtaf.example")

    cardiff = PartnershipFactory(
        name="Caerdydd", slug="cardiff", nation=Nation.WALES, ons_code="W14000015"
    )
    coordinator = member(cardiff, Role.COORDINATOR, email="coordinator@cardiff.example")
    plan = drafting.plan_start(
        acting_user=coordinator,
        partnership=cardiff,
        assessment=approved_assessment(cardiff, coordinator),
    )
    approval.approval_rule_update(acting_user=coordinator, partnership=cardiff, seats=[Seat.POLICE])
    signer = member(cardiff, Role.STRATEGY_MEMBER, seat=Seat.POLICE, email="chief@cardiff.example")

    # The Cwm Taf partner answers the request from Your work.
    partner = _in_welsh(new_visitor())
    partner.sign_in_as(analyst)
    assert partner.heading() == cy("Your work")
    _assert_welsh(partner)
    partner.click_link(
        cy("Requests to you"), within=partner.page.get_by_role("navigation", name=cy("Your work"))
    )
    partner.click_link("Trais yn economi'r nos")
    _assert_welsh(partner)
    partner.fill(cy("Your answer"), "Mae galwadau am wasanaeth yn codi nos Wener a nos Sadwrn.")
    partner.click_button(cy("Save and submit"))
    partner.click_button(cy("Submit contribution"))
    assert cy("Submitted") in partner.page.get_by_test_id("contribution-status").inner_text()
    _assert_welsh(partner)

    # Cardiff's coordinator signs in with two-factor and drafts the summary.
    cora = _in_welsh(new_visitor())
    _sign_in(cora, coordinator.email, backup_codes_replace(acting_user=coordinator)[0])
    plan_path = f"/p/cardiff/plans/{plan.pk}/"
    cora.open(plan_path)
    _assert_welsh(cora)
    summary_label = cy("Summary")
    cora.follow(cora.page.get_by_role("link", name=f"{cy('Write')} {summary_label}"))
    _assert_welsh(cora)
    cora.fill(f"{summary_label} ({cy('English')})", SUMMARY)
    cora.click_button(cy("Save section"))
    # The Welsh is missing, and the plan page says so, with a link to where it goes.
    missing = cora.page.get_by_test_id("missing-welsh-list")
    assert summary_label in missing.inner_text()
    cora.follow(missing.get_by_role("link"))
    cora.fill(f"{summary_label} ({cy('Welsh')})", SUMMARY_CY)
    assert cora.page.get_by_label(f"{summary_label} ({cy('Welsh')})").get_attribute("lang") == "cy"
    cora.click_button(cy("Save section"))
    assert cora.page.get_by_test_id("missing-welsh").count() == 0
    assert SUMMARY_CY in cora.page.get_by_test_id("section-summary-cy").inner_text()
    cora.click_link(cy("Open consultation"))
    cora.click_button(cy("Open consultation"))

    # The police seat signs it off (their journey is the English one's); the coordinator publishes.
    approval.plan_sign_off(
        acting_user=signer,
        membership=membership_for(user=signer, partnership_slug="cardiff"),
        plan=plan,
    )
    cora.open(plan_path)
    cora.click_link(cy("Publish"))
    cora.click_button(cy("Publish the plan"))
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PUBLISHED
    assert cy("Published") in cora.page.get_by_test_id("plan-status").inner_text()

    # The plan's documents come in both languages; the full plan in Welsh waits for the Welsh
    # of the priorities' reasons (never made with English in their place), and says so.
    cora.click_link(cy("The plan in Welsh as a PDF"))
    _assert_welsh(cora)
    assert cora.page.get_by_test_id("welsh-missing").count() == 1
    others = cora.page.get_by_test_id("other-documents").inner_text()
    with translation.override("cy"):
        for label in (gettext("%(document)s in English"), gettext("%(document)s in Welsh")):
            assert label % {"document": gettext("Published summary")} in others

    # The public page, in Welsh, with the Welsh summary; the English one beside it.
    reader = new_visitor()
    assert reader.open("/plans/cardiff/cy/") == 200
    _assert_welsh(reader)
    assert SUMMARY_CY in reader.page.get_by_test_id("summary-text").inner_text()
    assert SUMMARY not in reader.page.content()
    english = reader.page.locator('link[rel="alternate"][hreflang="en"]').get_attribute("href")
    assert english.endswith("/plans/cardiff/")
