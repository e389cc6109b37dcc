"""A review returned by the Home Office quality assurance panel, with its independent chair and
one point of feedback, built through the services.

PYTEST_DONT_REWRITE: see the package's docstring.
"""

from partnerships.models import Role, Seat
from reviews.models import AccessGrant, ReviewStatus
from reviews.services import lifecycle, quality_assurance
from tests.factories import member

from .reviews import advance, review_gathering_evidence

S = ReviewStatus
TO_RETURNED = [S.DRAFTING, S.PANEL_APPROVED, S.PARTNERSHIP_APPROVED, S.SUBMITTED, S.RETURNED]
FEEDBACK = "Paragraph 4.2 names the victim's employer: anonymise it."


def chair_of(review, granted_by, **user_fields):
    """A member given access to the review as its independent chair."""
    user = member(review.partnership, Role.CONTRIBUTOR, seat=Seat.LOCAL_AUTHORITY, **user_fields)
    lifecycle.access_grant(
        acting_user=granted_by, review=review, user=user, reason=AccessGrant.Reason.CHAIR
    )
    return user


def returned_with_feedback(partnership, coordinator):
    """A review of ``partnership`` returned once by the panel with one point of feedback, and
    its chair: ``(review, chair, item)``."""
    review = review_gathering_evidence(partnership, coordinator)
    chair = chair_of(review, coordinator)
    review = advance(review, coordinator, TO_RETURNED)
    item = quality_assurance.qa_feedback_record(
        acting_user=coordinator, review=review, text=FEEDBACK
    )
    return review, chair, item
