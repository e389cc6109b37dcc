"""Consultation on a plan version: members' comments on it, and the coordinator's responses.
The comments are the version's consultation log: frozen with it once it is approved, and
counted in the governance section of its document."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked
from partnerships.consultation import comment_create, comment_response

from ..models import (
    PartnershipPlan,
    PlanAction,
    PlanComment,
    PlanPriority,
    PlanSection,
)
from ..policies import CommentPolicy, CommentVerb, PlanPolicy, PlanVerb
from .drafting import content_changed

Part = PlanSection | PlanPriority | PlanAction | None


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
        comment = comment_create(
            PlanComment,
            acting_user=acting_user,
            member=member,
            about=about_of(plan, part),
            body=body,
            audit_action="plan.comment",
            plan=plan,
            partnership=plan.partnership,
            section=part if isinstance(part, PlanSection) else None,
            priority=part if isinstance(part, PlanPriority) else None,
            action=part if isinstance(part, PlanAction) else None,
        )
        content_changed(plan)
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
        comment = comment_response(
            comment,
            acting_user=acting_user,
            outcome=outcome,
            response=response,
            audit_action="plan.comment_respond",
        )
        content_changed(comment.plan)
    return comment
