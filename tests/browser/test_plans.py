"""Drafting, a concurrent edit, sign-off and publication of a partnership plan in a real browser,
JavaScript on and off, with axe on every page."""

import pytest

from partnerships.models import Role, Seat
from plans.models import PlanStatus
from plans.services import approval, drafting

from ..factories import member
from ..plans.conftest import YEAR, approved_assessment
from .conftest import Visitor
from .test_assessments import _menu

pytestmark = pytest.mark.browser


def _error_summary(visitor: Visitor) -> str:
    return visitor.page.locator(".govuk-error-summary").inner_text()


def test_the_coordinator_drafts_the_plan(new_visitor, partnership, coordinator):
    approved_assessment(partnership, coordinator)
    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.click_link("Plan", within=_menu(visitor))
    visitor.page.get_by_label("Strategic assessment 2027/28, version 1").check()
    visitor.click_button("Start the plan")
    assert visitor.heading() == "Partnership plan 2027 to 2030"
    priorities = visitor.page.get_by_test_id("priority")
    assert priorities.count() == 2  # the assessment recommended two

    visitor.click_link("Write Summary")
    visitor.fill("Summary", "Our plan for **safer streets**.\n\n- Less violence\n- Less ASB")
    visitor.click_button("Save section")
    summary = visitor.page.get_by_test_id("section-summary")
    assert summary.locator("strong").inner_text() == "safer streets"
    assert summary.locator("li").count() == 2

    first = priorities.first
    visitor.follow(first.get_by_role("link", name="Add an action"))
    visitor.fill("What will be done", "Targeted patrols in the town centre")
    visitor.page.get_by_label("Lead organisation").select_option(label="Trafford Police")
    start, due = (
        visitor.page.get_by_role("group", name="Start date"),
        visitor.page.get_by_role("group", name="Due date"),
    )
    start.get_by_label("Day").fill("1")
    start.get_by_label("Month").fill("4")
    start.get_by_label("Year").fill(str(YEAR - 1))
    due.get_by_label("Day").fill("31")
    due.get_by_label("Month").fill("3")
    due.get_by_label("Year").fill(str(YEAR + 1))
    visitor.click_button("Save action")
    assert "within the plan period" in _error_summary(visitor)
    visitor.page.get_by_role("group", name="Start date").get_by_label("Year").fill(str(YEAR))
    visitor.click_button("Save action")
    actions = visitor.page.get_by_test_id("actions").first
    assert "Targeted patrols in the town centre" in actions.inner_text()
    assert "Trafford Police" in actions.inner_text()

    visitor.follow(actions.get_by_role("link", name="Add a measure"))
    visitor.fill("Measure", "Violence with injury")
    visitor.fill("Baseline", "1369")
    visitor.fill("Target", "1200")
    visitor.page.get_by_label("Lower is better").check()
    visitor.click_button("Save measure")
    assert (
        "Violence with injury: from 1,369 to 1,200"
        in visitor.page.get_by_test_id("measure").inner_text()
    )

    visitor.click_link("Open consultation")
    visitor.click_button("Open consultation")
    assert "Consultation" in visitor.page.get_by_test_id("plan-status").inner_text()


def test_two_coordinators_cannot_overwrite_each_other(new_visitor, partnership, coordinator):
    assessment = approved_assessment(partnership, coordinator)
    plan = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    deputy = member(partnership, Role.COORDINATOR, full_name="Dana Deputy")
    section_path = f"/p/{partnership.slug}/plans/{plan.pk}/sections/resources/"

    first, second = new_visitor(), new_visitor()
    first.sign_in_as(coordinator)
    second.sign_in_as(deputy)
    first.open(section_path)
    second.open(section_path)
    second.fill("How partner resources are allocated", "The deputy's allocation")
    second.click_button("Save section")
    first.fill("How partner resources are allocated", "My allocation")
    first.click_button("Save section")

    assert "Dana Deputy saved a change" in _error_summary(first)
    assert "The deputy's allocation" in first.page.get_by_test_id("their-version").inner_text()
    first.click_button("Save section")  # a second save, now from the current revision, goes in
    assert "My allocation" in first.page.get_by_test_id("section-resources").inner_text()


def test_sign_off_approves_and_the_coordinator_publishes(new_visitor, partnership, coordinator):
    assessment = approved_assessment(partnership, coordinator)
    plan = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    approval.approval_rule_update(
        acting_user=coordinator, partnership=partnership, seats=[Seat.POLICE, Seat.HEALTH]
    )
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    plan_path = f"/p/{partnership.slug}/plans/{plan.pk}/"

    for seat, name in ((Seat.POLICE, "Pat Police"), (Seat.HEALTH, "Hana Health")):
        signer = member(partnership, Role.STRATEGY_MEMBER, seat=seat, full_name=name)
        visitor = new_visitor()
        visitor.sign_in_as(signer)
        visitor.open(plan_path)
        visitor.click_link("Sign off")
        visitor.click_button("Sign off the plan")
        assert name in visitor.page.get_by_test_id("sign-offs").inner_text()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.open(plan_path)
    visitor.click_link("Publish")
    visitor.click_button("Publish the plan")
    assert "Published" in visitor.page.get_by_test_id("plan-status").inner_text()
    assert visitor.page.get_by_role("link", name="Write Summary").count() == 0
