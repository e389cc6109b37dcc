"""The PCC's approval of a combination (merger) of English partnerships of its force area."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import Nation
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked_rows
from partnerships.models import Membership, Partnership, PartnershipStatus

from ..models import CombinationApproval
from ..policies import CombinationPolicy
from ..policies import CombinationVerb as V


def _partnership_error(membership: Membership, chosen: set[int], rows: list[Partnership]) -> str:
    """Why these partnerships cannot be combined with this membership's approval ("" if they
    can): two or more, all of its force area and served by the same person, English, active."""
    served = set(
        CombinationPolicy.served(membership.user_id)
        .filter(pk__in=chosen)
        .values_list("pk", flat=True)
    )
    area_id = membership.partnership.police_force_area_id
    if len(chosen) < 2:
        return _("Select at least two partnerships to combine")
    if len(rows) != len(chosen) or any(
        p.police_force_area_id != area_id or p.pk not in served for p in rows
    ):
        return _("Select partnerships of your police force area")
    if any(p.nation != Nation.ENGLAND for p in rows):
        return _("Only partnerships in England are combined with the PCC's approval")
    merged = [p for p in rows if p.status != PartnershipStatus.ACTIVE]
    if merged:
        return _("%(name)s has already merged into another partnership") % {"name": merged[0].name}
    return ""


@transaction.atomic
def combination_approval_record(
    *,
    acting_user: User,
    membership: Membership,
    partnerships: Iterable[Partnership],
    approved_on: date | None,
    reference: str,
    note: str = "",
    submission: Submission | None = None,
) -> CombinationApproval:
    """Record the PCC's approval of combining two or more English partnerships of their force
    area. Welsh partnerships, partnerships of another force area or where this person holds no
    PCC-office membership, and partnerships already merged are refused."""
    submission_claim(submission)
    chosen = {partnership.pk for partnership in partnerships}
    rows = sorted(
        locked_rows(Partnership.objects.filter(pk__in=chosen)), key=lambda p: (p.name, p.pk)
    )
    membership = CombinationPolicy.require_member(acting_user, membership, V.APPROVE)
    approval = CombinationApproval(
        police_force_area_id=membership.partnership.police_force_area_id,
        approved_on=approved_on,
        reference=reference,
        note=note,
        recorded_by=acting_user,
        approving_organisation=membership.organisation,
    )
    errors: dict[str, list[str]] = {}
    try:
        approval.full_clean()
    except ValidationError as error:
        errors = error.message_dict
    if message := _partnership_error(membership, chosen, rows):
        errors["partnerships"] = [message]
    if approved_on is not None and approved_on > timezone.localdate():
        errors["approved_on"] = [_("The date of approval must be today or in the past")]
    if errors:
        raise ValidationError(errors)
    approval.save()
    approval.partnerships.set(rows)
    for partnership in rows:
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="combination.approve",
            target=approval,
            changes={
                "partnerships": [None, [p.name for p in rows]],
                "approved_on": [None, approved_on],
                "reference": [None, reference],
            },
        )
    return approval
