"""The Home Office quality assurance panel's feedback on a returned review: the coordinator
records each point the Home Office sent, the independent chair answers each one, and the review
is resubmitted only when every point of the latest round is answered (``review_advance`` refuses
otherwise). Every round is kept. The audit rows say what was done, never the text: that stays in
the review, where every read is logged."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked

from ..models import DomesticHomicideReview, QualityAssuranceFeedback
from ..policies import ReviewPolicy, ReviewVerb

V = ReviewVerb
MAX_TEXT = 10_000


def _text(value: str, field: str, empty: str) -> str:
    value = value.strip()
    if not value:
        raise ValidationError({field: empty})
    if len(value) > MAX_TEXT:
        raise ValidationError({field: _("Enter %(max)d characters or fewer") % {"max": MAX_TEXT}})
    return value


def qa_feedback_record(
    *,
    acting_user: User,
    review: DomesticHomicideReview,
    text: str,
    submission: Submission | None = None,
) -> QualityAssuranceFeedback:
    """Record one point of the panel's feedback, in the round the review was last returned in."""
    with transaction.atomic():
        submission_claim(submission)
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.RECORD_QA_FEEDBACK, review)
        item = QualityAssuranceFeedback(
            review=review,
            round=review.qa_round,
            text=_text(text, "text", _("Enter the panel's feedback")),
            recorded_by=acting_user,
        )
        item.full_clean()
        item.save()
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.qa_feedback_record",
            target=item,
            changes={"round": [None, item.round]},
        )
    return item


def qa_feedback_answer(
    *,
    acting_user: User,
    item: QualityAssuranceFeedback,
    answer: str,
    submission: Submission | None = None,
) -> QualityAssuranceFeedback:
    """The independent chair's answer to one point (it may be rewritten until resubmission)."""
    with transaction.atomic():
        submission_claim(submission)
        review = locked(item.review, related=("partnership",))
        item = locked(item)
        ReviewPolicy.require_user(acting_user, review.partnership, V.ANSWER_QA_FEEDBACK, item)
        answered_before = item.is_answered
        item.answer = _text(answer, "answer", _("Enter the chair's answer"))
        item.answered_by = acting_user
        item.answered_at = timezone.now()
        item.full_clean()
        item.save(update_fields=["answer", "answered_by", "answered_at"])
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action=f"review.qa_feedback_{'reanswer' if answered_before else 'answer'}",
            target=item,
            changes={"round": [item.round, item.round]},
        )
    return item
