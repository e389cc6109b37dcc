"""Read paths for a plan's consultation: its comments as the member may see them, one comment,
the parts a comment may be about, and the seats still to sign off."""

from django.http import Http404

from partnerships.consultation import comment_counts as counts_of
from partnerships.models import Membership

from ..deadlines import SeatWaiting, seats_waiting
from ..models import PartnershipPlan, PlanComment
from ..policies import CommentPolicy


def plan_comments(*, membership: Membership, plan: PartnershipPlan):
    """The version's comments, oldest first (names are copied onto each: no joins needed)."""
    return CommentPolicy.visible(membership).filter(plan=plan).order_by("created_at", "pk")


def comment_for(*, membership: Membership, plan: PartnershipPlan, comment_id: int) -> PlanComment:
    try:
        return (
            plan_comments(membership=membership, plan=plan)
            .select_related("partnership")
            .get(pk=comment_id)
        )
    except PlanComment.DoesNotExist:
        raise Http404 from None


def comment_counts(*, plan: PartnershipPlan) -> dict:
    """How many comments the version had, from how many organisations, and how each ended: the
    governance section of its document."""
    return counts_of(PlanComment.objects.filter(plan=plan))


def comment_parts(*, plan: PartnershipPlan) -> dict:
    """This version's sections, priorities and actions, for the comment form (three queries)."""
    return {
        "sections": list(plan.sections.all()),
        "priorities": list(plan.priorities.all()),
        "actions": list(plan.actions.order_by("priority__position", "pk")),
    }


def sign_off_panel(*, plan: PartnershipPlan) -> list[SeatWaiting]:
    """The required seats that have not signed the version in consultation, and who is asked."""
    return seats_waiting([plan])
