"""A domestic homicide review from notification to publication and action plan monitoring, in a
real browser, JavaScript on and off, with axe on every page."""

from datetime import date

import pytest

from accounts.services import backup_codes_replace
from partnerships.models import Role, Seat
from reviews.models import AccessLogEntry, DomesticHomicideReview, ReviewStatus
from reviews.services import lifecycle

from ..factories import DEFAULT_PASSWORD, member
from .conftest import Visitor, pass_two_factor, sign_in
from .test_assessments import _menu

# Its log lines hold none of the names, pseudonyms or tokens (tests/browser/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("logs_hold_no_personal_data")]
S = ReviewStatus


def _fill_date(visitor: Visitor, legend: str, day: date) -> None:
    group = visitor.page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


def _step(visitor: Visitor, label: str) -> None:
    visitor.click_link(label)
    visitor.click_button(label)


def test_a_review_from_notification_to_monitoring(new_visitor, partnership, coordinator):
    panel = member(partnership, Role.CONTRIBUTOR, seat=Seat.HEALTH, full_name="Pat Panel")
    councillor = member(partnership, Role.SCRUTINY, full_name="Cllr Reed")

    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.click_link("Reviews", within=_menu(visitor))
    visitor.click_link("Record a notification")
    visitor.fill("Pseudonym of the person who died", "Adult A")
    _fill_date(visitor, "Date of death", date(2026, 6, 14))
    _fill_date(visitor, "Date of the police notification", date(2026, 6, 1))
    visitor.page.get_by_label("Notified by").select_option(label="Trafford Police")
    visitor.page.get_by_label("Yes").check()
    visitor.click_button("Record the notification")
    assert (
        "The death must be before the notification"
        in visitor.page.locator(".govuk-error-summary").inner_text()
    )
    _fill_date(visitor, "Date of the police notification", date(2026, 6, 20))
    visitor.click_button("Record the notification")
    review = DomesticHomicideReview.objects.get()
    assert visitor.heading() == f"{review.reference} (Adult A)"
    assert "Decision whether to review" in visitor.page.get_by_test_id("clocks").inner_text()

    _step(visitor, "Start considering")
    visitor.click_link("Record the decision")
    visitor.page.get_by_label("Commission a review").check()
    visitor.fill("Reasons for the decision", "The criteria are met.")
    _fill_date(visitor, "Date of the decision", date(2026, 7, 10))
    visitor.click_button("Record the decision")
    visitor.click_link("Record that the Home Office was told")
    _fill_date(visitor, "Date the Home Office was told", date(2026, 7, 14))
    visitor.click_button("Record that the Home Office was told")
    visitor.click_link("Commission: appoint the chair")
    visitor.fill("Independent chair", "J. Independent")
    visitor.fill("Declaration of independence", "No prior involvement with any agency.")
    _fill_date(visitor, "Date the chair was appointed", date(2026, 7, 20))
    visitor.click_button("Commission: appoint the chair")
    visitor.click_link("Start scoping")
    visitor.fill("Terms of reference", "The two years before the death.")
    visitor.click_button("Start scoping")

    # The panel member is given access, and must pass two-factor before reading.
    visitor.click_link("Manage access")
    visitor.page.get_by_label("Who needs access?").select_option(
        label="Pat Panel (Trafford Health)"
    )
    visitor.page.get_by_label("Panel member").check()
    visitor.click_button("Give access")
    assert "Pat Panel" in visitor.page.get_by_test_id("grants").inner_text()

    code = backup_codes_replace(acting_user=panel)[0]
    reader = new_visitor()
    sign_in(reader, panel.email, DEFAULT_PASSWORD)
    pass_two_factor(reader, code)
    reader.open(f"/p/{partnership.slug}/reviews/{review.pk}/")
    assert "Scoping" in reader.page.get_by_test_id("review-status").inner_text()

    # A criminal trial puts it on hold; the completion clock pauses.
    visitor.click_link("Back to the review")
    _step(visitor, "Start gathering evidence")
    visitor.click_link("Put on hold")
    visitor.fill("Why is the review on hold?", "Criminal trial")
    _fill_date(visitor, "Date the hold started", date(2026, 9, 1))
    visitor.click_button("Put the review on hold")
    assert "Paused" in visitor.page.get_by_test_id("clocks").inner_text()
    visitor.click_link("Resume")
    _fill_date(visitor, "Date the hold ended", date(2026, 10, 1))
    visitor.click_button("Resume the review")
    assert "extended by 30 days on hold" in visitor.page.get_by_test_id("clocks").inner_text()

    for step in (S.DRAFTING, S.PANEL_APPROVED, S.PARTNERSHIP_APPROVED):
        lifecycle.review_advance(acting_user=coordinator, review=review, to=step)
    lifecycle.review_advance(
        acting_user=coordinator, review=review, to=S.SUBMITTED, submitted_on=date(2026, 11, 2)
    )
    lifecycle.review_advance(acting_user=coordinator, review=review, to=S.HOME_OFFICE_APPROVED)
    visitor.open(f"/p/{partnership.slug}/reviews/{review.pk}/")

    # The review's recommendation becomes a line of the action plan.
    visitor.click_link("Add a recommendation")
    visitor.fill("Recommendation", "Ask about coercive control at every contact.")
    visitor.fill("Action", "Train call handlers.")
    visitor.page.get_by_label("Owner organisation").select_option(label="Trafford Police")
    _fill_date(visitor, "Due date", date(2027, 3, 31))
    visitor.click_button("Save")
    assert "Train call handlers." in visitor.page.get_by_test_id("recommendations").inner_text()

    visitor.click_link("Record publication")
    _fill_date(visitor, "Date published", date(2026, 11, 20))
    visitor.click_button("Record publication")
    _step(visitor, "Start monitoring the action plan")
    assert "Action plan monitoring" in visitor.page.get_by_test_id("review-status").inner_text()

    # Monitoring: the line is completed, with its evidence.
    lines = visitor.page.get_by_test_id("recommendations")
    visitor.follow(lines.get_by_role("link", name="Ask about coercive control at every contact."))
    visitor.page.get_by_label("Complete").check()
    visitor.click_button("Save")
    assert "Give the evidence of completion before marking it complete" in (
        visitor.page.locator(".govuk-error-summary").inner_text()
    )
    visitor.fill("Evidence of completion", "All 140 call handlers trained by March.")
    visitor.page.get_by_label("Complete").check()
    visitor.click_button("Save")
    assert "Complete" in visitor.page.get_by_test_id("recommendations").inner_text()

    # The scrutiny councillor sees the count, never the review.
    councillor_visitor = new_visitor()
    councillor_visitor.sign_in_as(councillor)
    councillor_visitor.open(f"/p/{partnership.slug}/reviews/")
    assert "Adult A" not in councillor_visitor.page.locator("main").inner_text()
    assert councillor_visitor.open(f"/p/{partnership.slug}/reviews/{review.pk}/") == 404
    assert AccessLogEntry.objects.filter(user=panel).exists()
    assert not AccessLogEntry.objects.filter(user=councillor).exists()


def test_an_agency_author_answers_their_own_request_and_no_more_and_access_ends_with_membership(
    new_visitor, partnership, coordinator
):
    from partnerships.models import Membership
    from reviews.models import AccessGrant
    from reviews.services import evidence
    from tests.reviews.builders import TO_EVIDENCE, TODAY, advance
    from tests.reviews.conftest import notify

    from ..factories import organisation_in

    review = advance(notify(partnership, coordinator), coordinator, TO_EVIDENCE)
    officer = member(partnership, Role.CONTRIBUTOR, seat=Seat.POLICE, full_name="Priya Constable")
    lifecycle.access_grant(
        acting_user=coordinator, review=review, user=officer, reason=AccessGrant.Reason.AUTHOR
    )
    for seat in (Seat.POLICE, Seat.LOCAL_AUTHORITY):
        evidence.agency_request_create(
            acting_user=coordinator,
            review=review,
            organisation=organisation_in(partnership, seat),
            kind="chronology",
            due_date=TODAY,
        )

    author = new_visitor()
    author.sign_in_as(officer)
    author.open(f"/p/{partnership.slug}/reviews/{review.pk}/")
    main = author.page.locator("main").inner_text()
    for control in ("Start drafting", "Put on hold", "Manage access", "Who has access"):
        assert control not in main
    assert "Trafford Local authority" not in main  # the council's request is not theirs
    author.follow(
        author.page.get_by_test_id("agency-requests").get_by_role("link", name="Trafford Police")
    )
    author.click_link("Add an entry")
    author.fill("What happened", "Called to a disturbance at the address.")
    _fill_date(author, "Date", TODAY)
    author.click_button("Add the entry")
    assert "Entry added." in author.page.locator("main").inner_text()
    assert author.open(f"/p/{partnership.slug}/reviews/{review.pk}/access/") == 404

    # The coordinator removes the officer from the partnership; invited back, they find nothing.
    coordinator_visitor = new_visitor()
    coordinator_visitor.sign_in_as(coordinator)
    coordinator_visitor.open(f"/p/{partnership.slug}/people/")
    coordinator_visitor.click_link("Remove Priya Constable")
    coordinator_visitor.click_button("Remove from partnership")
    assert not Membership.objects.filter(user=officer).exists()
    member(partnership, Role.CONTRIBUTOR, user=officer, seat=Seat.POLICE)
    assert author.open(f"/p/{partnership.slug}/reviews/{review.pk}/") == 404
    author.open(f"/p/{partnership.slug}/reviews/")
    assert review.reference not in author.page.locator("main").inner_text()


def _answer(visitor: Visitor, question: str, answer: str) -> None:
    visitor.page.get_by_role("group", name=question).get_by_label(answer, exact=True).check()


@pytest.mark.parametrize("java_script_enabled", [False], ids=["no-js"])
def test_an_offensive_weapons_homicide_review_from_notification_to_the_decision(
    new_visitor, partnership, coordinator
):
    """The forms with JavaScript off: the notification asks the 2022 Act's criteria, the review
    names who decides, and the decision starts the Home Office's clock."""
    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.click_link("Reviews", within=_menu(visitor))
    visitor.click_link("Record a notification")
    visitor.click_link("Record a homicide where an offensive weapon was used instead")
    assert visitor.page.get_by_test_id("notify-type").inner_text() == (
        "Offensive weapons homicide review"
    )
    visitor.fill("Pseudonym of the person who died", "Adult K")
    _fill_date(visitor, "Date of death", date(2026, 6, 14))
    _fill_date(visitor, "Date of the police notification", date(2026, 6, 20))
    visitor.page.get_by_label("Notified by").select_option(label="Trafford Police")
    _answer(
        visitor,
        "Was the death, or is it likely to have been, a homicide (murder, manslaughter or "
        "infanticide) in England or Wales?",
        "Yes",
    )
    _answer(visitor, "Was the person who died aged 18 or over?", "Yes")
    _answer(
        visitor,
        "Did the events surrounding the death involve, or probably involve, the use of an "
        "offensive weapon?",
        "Yes",
    )
    visitor.click_button("Record the notification")
    summary = visitor.page.locator(".govuk-error-summary").inner_text()
    assert "Answer yes or no: Does a review partner hold" in summary
    assert not DomesticHomicideReview.objects.exists()
    _answer(
        visitor,
        "Does a review partner hold, or could it be expected to hold, information about the "
        "person who died or the suspect that is relevant to a review?",
        "Yes",
    )
    visitor.click_button("Record the notification")

    review = DomesticHomicideReview.objects.get()
    assert visitor.heading() == f"{review.reference} (Adult K)"
    assert visitor.page.get_by_test_id("review-type").inner_text() == (
        "Offensive weapons homicide review"
    )
    assert "relevant review partners" in visitor.page.get_by_test_id("decision-maker").inner_text()
    _step(visitor, "Start considering")
    visitor.click_link("Record the decision")
    visitor.page.get_by_label("Commission a review").check()
    visitor.fill("Reasons for the decision", "The review partners agree the criteria are met.")
    _fill_date(visitor, "Date of the decision", date(2026, 7, 10))
    visitor.click_button("Record the decision")

    review.refresh_from_db()
    assert (review.status, review.decided_on) == (S.DECIDED, date(2026, 7, 10))
    clocks = visitor.page.get_by_test_id("clocks").inner_text()
    assert "Home Office told of the decision" in clocks and "17 July 2026" in clocks
    assert "Review completed and submitted" in clocks and "10 July 2027" in clocks  # 12 months


@pytest.mark.parametrize("java_script_enabled", [False], ids=["no-js"])
def test_the_quality_assurance_panels_feedback_answered_by_the_chair(
    new_visitor, partnership, coordinator
):
    """JavaScript off: the coordinator records what the panel sent, the chair answers it, and
    the review is resubmitted; every page axe clean."""
    from tests.reviews.builders import returned_with_feedback

    review, chair, _item = returned_with_feedback(partnership, coordinator)
    visitor = new_visitor()
    visitor.sign_in_as(coordinator)
    visitor.open(f"/p/{partnership.slug}/reviews/{review.pk}/")
    visitor.click_link("Home Office quality assurance feedback")
    visitor.fill("A point of the panel's feedback", "Check the chronology's dates.")
    visitor.click_button("Add this point")
    assert visitor.page.get_by_test_id("qa-items").inner_text().count("Not answered") == 2

    chair_visitor = new_visitor()
    chair_visitor.sign_in_as(chair)
    for number in (1, 2):
        chair_visitor.open(f"/p/{partnership.slug}/reviews/{review.pk}/quality-assurance/")
        chair_visitor.follow(
            chair_visitor.page.get_by_role("link", name=f"Answer point {number}", exact=True)
        )
        chair_visitor.fill("The chair's answer", f"Answered {number}.")
        chair_visitor.click_button("Save the answer")
    assert "Not answered" not in chair_visitor.page.get_by_test_id("qa-items").inner_text()

    visitor.open(f"/p/{partnership.slug}/reviews/{review.pk}/")
    visitor.click_link("Record submission to the Home Office")
    _fill_date(visitor, "Date submitted", date.today())
    visitor.click_button("Record submission to the Home Office")
    review.refresh_from_db()
    assert review.status == S.SUBMITTED
