"""What a change of someone's place in the partnership does to their access to its reviews.

Registered with ``partnerships.hooks`` (see ReviewsConfig.ready) and called by the membership
services inside their transaction. Leaving the partnership, or a new role that may not hold DHR
material (scrutiny, a PCC office), ends every grant the person held on its reviews; moving to
another organisation ends their agency author's grants, which were for the organisation they
represented. Each ended grant is audited and the reminders that named the review are withdrawn,
as for a revoked one; coming back, or the old role or organisation back, gives nothing until
someone grants access anew. A change that would leave a review with nobody to manage access is
refused, without naming the review.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from accounts.models import User
from csp_portal.workflow import locked_rows
from partnerships.hooks import MembershipChange

from ..models import AccessGrant, DomesticHomicideReview
from ..policies import MANAGING_REASONS, ReviewPolicy
from .lifecycle import _end_grant


def access_follow_membership(*, acting_user: User | None, change: MembershipChange) -> None:
    grants = AccessGrant.objects.filter(user=change.user, review__partnership=change.partnership)
    if ReviewPolicy.role_can_hold_access(change.role):
        if not change.organisation_changed:
            return
        grants = grants.filter(reason=AccessGrant.Reason.AUTHOR)
    review_ids = sorted(set(grants.values_list("review_id", flat=True)))
    if not review_ids:
        return
    # Locked in one order, as access_revoke locks each: the last manager cannot slip away twice.
    reviews = {
        review.pk: review
        for review in locked_rows(
            DomesticHomicideReview.objects.select_related("partnership").filter(pk__in=review_ids)
        )
    }
    ending = list(grants.select_related("user").order_by("review_id", "pk"))
    for grant in ending:
        if (
            grant.reason in MANAGING_REASONS
            and not ReviewPolicy.managers(reviews[grant.review_id])
            .exclude(user=change.user)
            .exists()
        ):
            raise ValidationError(
                _(
                    "%(name)s is the only person who can manage access to a domestic homicide "
                    "review. They must give a named coordinator or the independent chair access "
                    "to it first."
                )
                % {"name": change.user.full_name or change.user.email}
            )
    for grant in ending:
        _end_grant(
            reviews[grant.review_id], grant, acting_user=acting_user, action="review.access_end"
        )
