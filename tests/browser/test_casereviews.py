"""A resident asks for an ASB case review on the public form and is told the outcome: the one
journey issue 20 names for it, in a real browser with JavaScript on (axe on every page) and off."""

import pytest
from django.core import mail

from casereviews.models import CaseReview, CaseStatus

from ..casereviews.builders import publish_procedure

# Its log lines hold none of the applicant's details (tests/browser/conftest.py).
pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("logs_hold_no_personal_data")]


@pytest.mark.parametrize("java_script_enabled", [True, False], ids=["js", "no-js"])
def test_a_resident_applies_and_is_told_the_threshold_decision(
    new_visitor, partnership, coordinator
):
    publish_procedure(partnership, coordinator)

    resident = new_visitor()
    resident.open(f"/community-trigger/{partnership.slug}/")
    assert (
        "at least 3 times in the 6 months" in resident.page.get_by_test_id("threshold").inner_text()
    )
    resident.click_link("Apply for a case review")
    resident.click_button("Send application")
    errors = resident.page.locator(".govuk-error-summary").inner_text()
    assert "Enter your full name" in errors and "Describe the anti-social behaviour" in errors
    resident.fill("Your full name", "Robin Resident")
    resident.fill("Your email address", "robin@example.org")
    resident.fill("Where does the behaviour happen?", "Cedar Walk")
    resident.fill(
        "What is the anti-social behaviour, and how does it affect you?",
        "Motorbikes on the green every evening.",
    )
    resident.fill("How many times have you reported it in the last six months?", "3")
    resident.fill("Who did you report it to, and when?", "The police, three times in May.")
    resident.click_button("Send application")
    case = CaseReview.objects.get()
    assert resident.page.get_by_test_id("reference").inner_text() == case.reference
    (acknowledgement,) = mail.outbox
    assert acknowledgement.to == ["robin@example.org"]
    assert f"Your reference is {case.reference}" in acknowledgement.body

    staff = new_visitor()
    staff.sign_in_as(coordinator)
    staff.open(f"/p/{partnership.slug}/case-reviews/")
    staff.click_link(case.reference)
    assert "Robin Resident" in staff.page.get_by_test_id("application").inner_text()
    staff.click_link("Decide whether the threshold is met")
    staff.page.get_by_label("Yes").check()
    staff.fill("Reasons", "Three reports to the police in May, each within a month.")
    staff.click_button("Record the decision and tell the applicant")
    assert staff.page.get_by_test_id("case-status").inner_text() == "Under review"

    case.refresh_from_db()
    assert case.status == CaseStatus.UNDER_REVIEW
    told = mail.outbox[-1]
    assert told.to == ["robin@example.org"] and "whether the threshold is met" in told.subject
    assert "The threshold for a review of your case" in told.body
    assert "Three reports to the police in May, each within a month." in told.body
    assert case.letters.get(kind="threshold").sent_at is not None
