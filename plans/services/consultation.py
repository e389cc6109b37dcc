"""Consultation on a plan version: members' comments on it, and the coordinator's responses.
The comments are the version's consultation log: frozen with it once it is approved, and
counted in the governance section of its document."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition

from ..models import (
    COMMENT_MAX_LENGTH,
    COMMENT_TRANSITIONS,
    PartnershipPlan,
    PlanAction,
    PlanComment,
    PlanPriority,
    PlanSection,
)
from ..policies import CommentPolicy, CommentVerb, PlanPolicy, PlanVerb
from .drafting import content_changed

Part = PlanSection | PlanPriority | PlanAction | None


def _text(value: str, field: str, *, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        raise ValidationError({field: _("Enter your comment")}, code="required")
    if len(value) > COMMENT_MAX_LENGTH:
        raise ValidationError(
            {field: _("Keep it to %(max)s characters or fewer") % {"max": COMMENT_MAX_LENGTH}},
            code="max_length",
        )
    return value


def about_of(plan: PartnershipPlan, part: Part) -> str:
    if part is None:
        return _("The plan as a whole")
    if isinstance(part, PlanSection):
        return str(part.get_kind_display())
    if isinstance(part, PlanPriority):
        return _("Priority: %(theme)s") % {"theme": part.get_theme_display()}
    return _("Action: %(what)s") % {"what": part.description[:150]}


def plan_comment_add(
    *,
    acting_user: User,
    plan: PartnershipPlan,
    body: str,
    part: Part = None,
    submission: Submission | None = None,
) -> PlanComment:
    """Comment on the version in consultation (on one of its sections, priorities or actions, or
    on the whole). Refused once consultation has closed, whatever the page showed."""
    with transaction.atomic():
        submission_claim(submission)
        plan = locked(plan, related=["partnership"])
        member = PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.COMMENT, plan)
        if part is not None and part.plan_id != plan.pk:
            raise ValidationError({"part": _("Choose a part of this plan")}, code="invalid")
        body = _text(body, "body")
        comment = PlanComment.objects.create(
            plan=plan,
            partnership=plan.partnership,
            section=part if isinstance(part, PlanSection) else None,
            priority=part if isinstance(part, PlanPriority) else None,
            action=part if isinstance(part, PlanAction) else None,
            about=about_of(plan, part)[:200],
            body=body,
            author=acting_user,
            author_name=acting_user.full_name,
            organisation=member.organisation,
            organisation_name=member.organisation.name,
        )
        content_changed(plan)
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.comment",
            target=comment,
            changes={"about": [None, comment.about], "length": [None, len(body)]},
        )
    return comment


def plan_comment_respond(
    *,
    acting_user: User,
    comment: PlanComment,
    outcome: str,
    response: str,
    submission: Submission | None = None,
) -> PlanComment:
    """Answer, accept or decline a comment, with words the commenter reads. The plan is locked
    first, as sign-off locks it, so a response never lands on a version just approved."""
    with transaction.atomic():
        submission_claim(submission)
        plan = locked(comment.plan)
        comment = locked(comment, related=["partnership"])
        comment.plan = plan
        CommentPolicy.require_user(acting_user, comment.partnership, CommentVerb.RESPOND, comment)
        if outcome not in COMMENT_TRANSITIONS[comment.status]:
            raise ValidationError(
                {"outcome": _("Choose whether you answer, accept or decline the comment")},
                code="invalid",
            )
        response = _text(response, "response")
        comment = transition(
            comment,
            outcome,
            transitions=COMMENT_TRANSITIONS,
            acting_user=acting_user,
            action="plan.comment_respond",
            audit_changes={"response": [None, len(response)]},
            response=response,
            responded_by=acting_user,
            responded_by_name=acting_user.full_name,
        )
        content_changed(comment.plan)
    return comment
