"""Consultation and sign-off in a real browser, axe on every page: a partner told of the
consultation comments from the email's link and the coordinator answers (JavaScript off); two
strategy members sign off from the email that asked them, the third seat is chased by the sweep
days later, signs, the plan is approved and the chasing stops (JavaScript on)."""

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from partnerships.models import Role, Seat
from plans.deadlines import plan_sign_off_due_on
from plans.models import CommentStatus, PlanComment, PlanStatus
from plans.services import approval, drafting
from reminders.outbox import outbox_send
from reminders.sweep import reminders_sweep

from ..factories import member
from ..plans.conftest import add_action, approved_assessment

pytestmark = pytest.mark.browser


@pytest.fixture
def plan(partnership, coordinator):
    assessment = approved_assessment(partnership, coordinator)
    plan = drafting.plan_start(
        acting_user=coordinator, partnership=partnership, assessment=assessment
    )
    add_action(plan, coordinator)
    return plan


def _link_in_email(to: str, path_part: str) -> str:
    for message in mail.outbox:
        if to in message.to:
            for link in re.findall(r"https?://\S+", message.body):
                if link.endswith(path_part):
                    return link
    raise AssertionError(f"No email to {to} links to {path_part}")


@pytest.mark.parametrize("java_script_enabled", [False], ids=["no-js"])
def test_a_partner_comments_in_consultation_and_the_coordinator_answers(
    new_visitor, partnership, coordinator, plan
):
    partner = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Pia Partner")
    lead = new_visitor()
    lead.sign_in_as(coordinator)
    lead.open(f"/p/{partnership.slug}/plans/{plan.pk}/")
    lead.click_link("Open consultation")
    closes = timezone.localdate() + timedelta(days=14)
    group = lead.page.get_by_role("group", name="Closing date for comments")
    group.get_by_label("Day").fill(str(closes.day))
    group.get_by_label("Month").fill(str(closes.month))
    group.get_by_label("Year").fill(str(closes.year))
    lead.click_button("Open consultation")
    assert "Consultation" in lead.page.get_by_test_id("plan-status").inner_text()

    visitor = new_visitor()
    visitor.sign_in_as(partner)
    visitor.open(_link_in_email(partner.email, f"/plans/{plan.pk}/comments/"))
    assert visitor.heading() == "Consultation"
    assert (
        closes.strftime("%-d %B %Y")
        in visitor.page.get_by_test_id("consultation-state").inner_text()
    )
    visitor.click_button("Send comment")
    assert "Enter your comment" in visitor.page.locator(".govuk-error-summary").inner_text()
    priority = plan.priorities.first()
    visitor.page.get_by_label("What is your comment about?").select_option(
        label=priority.get_theme_display()
    )
    visitor.fill("Your comment", "Name the wards that come first.")
    visitor.click_button("Send comment")
    assert "Awaiting a response" in visitor.page.get_by_test_id("comment").inner_text()

    lead.open(f"/p/{partnership.slug}/plans/{plan.pk}/comments/")
    lead.click_link("Respond to the comment by Pia Partner")
    lead.page.get_by_label("Accept it (the plan changes)").check()
    lead.fill("What you say to the commenter", "Added: Stretford and Old Trafford first.")
    lead.click_button("Save response")
    assert "1 accepted" in lead.page.get_by_test_id("comment-counts").inner_text()

    visitor.open(f"/p/{partnership.slug}/plans/{plan.pk}/comments/")
    response = visitor.page.get_by_test_id("comment-response").inner_text()
    assert "Stretford and Old Trafford first" in response
    assert PlanComment.objects.get().status == CommentStatus.ACCEPTED


@pytest.mark.parametrize("java_script_enabled", [True], ids=["js"])
def test_the_seats_are_asked_at_once_and_the_last_is_chased_until_it_signs(
    new_visitor, partnership, coordinator, plan
):
    approval.approval_rule_update(
        acting_user=coordinator,
        partnership=partnership,
        seats=[Seat.POLICE, Seat.LOCAL_AUTHORITY, Seat.HEALTH],
    )
    signers = {
        seat: member(partnership, Role.STRATEGY_MEMBER, seat=seat, full_name=name)
        for seat, name in (
            (Seat.POLICE, "Pat Police"),
            (Seat.LOCAL_AUTHORITY, "Lee Council"),
            (Seat.HEALTH, "Hana Health"),
        )
    }
    approval.plan_open_consultation(acting_user=coordinator, plan=plan)
    plan_path = f"/p/{partnership.slug}/plans/{plan.pk}/"

    for seat in (Seat.POLICE, Seat.LOCAL_AUTHORITY):
        visitor = new_visitor()
        visitor.sign_in_as(signers[seat])
        visitor.open(_link_in_email(signers[seat].email, plan_path))
        visitor.click_link("Sign off")
        visitor.click_button("Sign off the plan")
    panel = visitor.page.get_by_test_id("sign-offs").inner_text()
    assert "Pat Police" in panel and "Lee Council" in panel
    assert "Asked: Hana Health" in panel

    # Days later, the day before sign-off is due: the sweep chases the health seat only.
    mail.outbox.clear()
    day = plan_sign_off_due_on(plan) - timedelta(days=1)
    reminders_sweep(today=day)
    outbox_send(today=day)
    assert [message.to for message in mail.outbox] == [[signers[Seat.HEALTH].email]]

    visitor = new_visitor()
    visitor.sign_in_as(signers[Seat.HEALTH])
    visitor.open(_link_in_email(signers[Seat.HEALTH].email, plan_path))
    visitor.click_link("Sign off")
    visitor.click_button("Sign off the plan")
    assert "Approved" in visitor.page.get_by_test_id("plan-status").inner_text()
    plan.refresh_from_db()
    assert plan.status == PlanStatus.APPROVED

    mail.outbox.clear()
    later = day + timedelta(days=3)
    reminders_sweep(today=later)
    outbox_send(today=later)
    assert not [m for m in mail.outbox if set(m.to) & {s.email for s in signers.values()}]


@pytest.mark.parametrize("java_script_enabled", [True], ids=["js"])
def test_a_partner_comments_on_the_assessment_in_review_and_the_coordinator_answers(
    new_visitor, partnership, coordinator
):
    from assessments.models import AssessmentComment, SectionKind
    from assessments.services import assessments as assessment_services

    from ..assessments.conftest import complete

    assessment = assessment_services.assessment_start(
        acting_user=coordinator, partnership=partnership, year_start=2031
    )
    assessment_services.assessment_open_contributions(
        acting_user=coordinator, assessment=assessment
    )
    complete(assessment, coordinator)
    assessment_services.assessment_submit_for_review(acting_user=coordinator, assessment=assessment)
    chief = member(partnership, Role.STRATEGY_MEMBER, seat=Seat.POLICE, full_name="Cal Chief")

    visitor = new_visitor()
    visitor.sign_in_as(chief)
    visitor.open(f"/p/{partnership.slug}/assessments/{assessment.pk}/")
    visitor.click_link("Comment on this assessment")
    assert visitor.heading() == "Comments in review"
    visitor.page.get_by_label("What is your comment about?").select_option(
        label=str(SectionKind.SERIOUS_VIOLENCE.label)
    )
    visitor.fill("Your comment", "Add the knife crime figures for the town centre.")
    visitor.click_button("Send comment")
    assert "Awaiting a response" in visitor.page.get_by_test_id("comment").inner_text()

    lead = new_visitor()
    lead.sign_in_as(coordinator)
    lead.open(f"/p/{partnership.slug}/assessments/{assessment.pk}/comments/")
    lead.click_link("Respond to the comment by Cal Chief")
    lead.page.get_by_label("Answer it (no change to the assessment)").check()
    lead.fill("What you say to the commenter", "They are in the crime levels section.")
    lead.click_button("Save response")
    assert "1 answered" in lead.page.get_by_test_id("comment-counts").inner_text()

    visitor.open(f"/p/{partnership.slug}/assessments/{assessment.pk}/comments/")
    assert (
        "in the crime levels section"
        in visitor.page.get_by_test_id("comment-response").inner_text()
    )
    assert AssessmentComment.objects.get().status == "answered"
