"""Consultation on an assessment version in review: members' comments on it, and the
coordinator's responses. The comments are the version's consultation log, kept with it once it is
approved and counted in the sign-off part of its document."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked
from partnerships.consultation import comment_create, comment_response

from ..models import AssessmentComment, AssessmentSection, RecommendedPriority, StrategicAssessment
from ..policies import (
    AssessmentCommentPolicy,
    AssessmentCommentVerb,
    AssessmentPolicy,
    AssessmentVerb,
)

Part = AssessmentSection | RecommendedPriority | None


def about_of(part: Part) -> str:
    if part is None:
        return _("The assessment as a whole")
    if isinstance(part, AssessmentSection):
        return str(part.get_kind_display())
    return _("Recommended priority: %(theme)s") % {"theme": part.get_theme_display()}


def assessment_comment_add(
    *,
    acting_user: User,
    assessment: StrategicAssessment,
    body: str,
    part: Part = None,
    submission: Submission | None = None,
) -> AssessmentComment:
    """Comment on the version in review (on one of its sections or recommended priorities, or on
    the whole). Refused once the review has closed, whatever the page showed."""
    with transaction.atomic():
        submission_claim(submission)
        assessment = locked(assessment, related=["partnership"])
        member = AssessmentPolicy.require_user(
            acting_user, assessment.partnership, AssessmentVerb.COMMENT, assessment
        )
        if part is not None and part.assessment_id != assessment.pk:
            raise ValidationError({"part": _("Choose a part of this assessment")}, code="invalid")
        return comment_create(
            AssessmentComment,
            acting_user=acting_user,
            member=member,
            about=about_of(part),
            body=body,
            audit_action="assessment.comment",
            assessment=assessment,
            partnership=assessment.partnership,
            section=part if isinstance(part, AssessmentSection) else None,
            priority=part if isinstance(part, RecommendedPriority) else None,
        )


def assessment_comment_respond(
    *,
    acting_user: User,
    comment: AssessmentComment,
    outcome: str,
    response: str,
    submission: Submission | None = None,
) -> AssessmentComment:
    """Answer, accept or decline a comment, with words the commenter reads. The assessment is
    locked first, as approval locks it, so a response never lands on a version just approved."""
    with transaction.atomic():
        submission_claim(submission)
        assessment = locked(comment.assessment)
        comment = locked(comment, related=["partnership"])
        comment.assessment = assessment
        AssessmentCommentPolicy.require_user(
            acting_user, comment.partnership, AssessmentCommentVerb.RESPOND, comment
        )
        return comment_response(
            comment,
            acting_user=acting_user,
            outcome=outcome,
            response=response,
            audit_action="assessment.comment_respond",
        )
