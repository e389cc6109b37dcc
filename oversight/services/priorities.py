"""The police and crime plan priorities of a force area, which its PCC office maintains."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import MaxLengthValidator
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.services import police_force_areas_changed
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, locked_rows
from partnerships.models import Membership
from plans.models import PoliceAndCrimePlanPriority

from ..policies import PccPriorityPolicy
from ..policies import PccPriorityVerb as V

# plans.PoliceAndCrimePlanPriority.description has no limit of its own.
DESCRIPTION_MAX_LENGTH = 2_000


def _validated(priority: PoliceAndCrimePlanPriority) -> None:
    """The model's own rules, the description's length, and a title unique in the force area
    whatever its case."""
    errors: dict[str, list[str]] = {}
    try:
        priority.full_clean(validate_constraints=False)
    except ValidationError as error:
        errors = error.message_dict
    try:
        MaxLengthValidator(DESCRIPTION_MAX_LENGTH)(priority.description)
    except ValidationError as error:
        errors.setdefault("description", []).extend(error.messages)
    if (
        "title" not in errors
        and PoliceAndCrimePlanPriority.objects.filter(
            police_force_area_id=priority.police_force_area_id, title__iexact=priority.title
        )
        .exclude(pk=priority.pk)
        .exists()
    ):
        errors["title"] = [_("The police and crime plan already has a priority with this title")]
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def pcc_priority_add(
    *,
    acting_user: User,
    membership: Membership,
    title: str,
    description: str = "",
    submission: Submission | None = None,
) -> PoliceAndCrimePlanPriority:
    submission_claim(submission)
    membership = PccPriorityPolicy.require_member(acting_user, membership, V.ADD)
    area_id = membership.partnership.police_force_area_id
    last = PoliceAndCrimePlanPriority.objects.filter(police_force_area_id=area_id).aggregate(
        last=Max("position")
    )["last"]
    priority = PoliceAndCrimePlanPriority(
        police_force_area_id=area_id,
        title=title,
        description=description,
        position=(last or 0) + 1,
    )
    _validated(priority)
    priority.save()
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.add",
        target=priority,
        changes={"title": [None, title]},
    )
    police_force_areas_changed([priority.police_force_area_id])
    return priority


@transaction.atomic
def pcc_priority_update(
    *,
    acting_user: User,
    membership: Membership,
    priority: PoliceAndCrimePlanPriority,
    title: str,
    description: str = "",
) -> PoliceAndCrimePlanPriority:
    priority = locked(priority)
    membership = PccPriorityPolicy.require_member(acting_user, membership, V.UPDATE, priority)
    before = {"title": priority.title, "description": priority.description}
    priority.title, priority.description = title, description
    _validated(priority)
    priority.save(update_fields=["title", "description"])
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.update",
        target=priority,
        changes={
            key: [before[key], getattr(priority, key)]
            for key in before
            if before[key] != getattr(priority, key)
        },
    )
    police_force_areas_changed([priority.police_force_area_id])
    return priority


@transaction.atomic
def pcc_priority_retire(
    *, acting_user: User, membership: Membership, priority: PoliceAndCrimePlanPriority
) -> PoliceAndCrimePlanPriority:
    """Retire a priority: plans that serve it keep showing it, new mappings cannot choose it."""
    priority = locked(priority)
    membership = PccPriorityPolicy.require_member(acting_user, membership, V.RETIRE, priority)
    priority.retired_at = timezone.now()
    priority.save(update_fields=["retired_at"])
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.retire",
        target=priority,
        changes={"retired_at": [None, priority.retired_at.isoformat()]},
    )
    police_force_areas_changed([priority.police_force_area_id])
    return priority


@transaction.atomic
def pcc_priority_move(
    *,
    acting_user: User,
    membership: Membership,
    priority: PoliceAndCrimePlanPriority,
    direction: str,
) -> list[PoliceAndCrimePlanPriority]:
    """Move a priority one place up or down among its force area's priorities; returns them
    in their new order."""
    ordered = sorted(
        locked_rows(
            PoliceAndCrimePlanPriority.objects.filter(
                police_force_area_id=priority.police_force_area_id
            )
        ),
        key=lambda item: (item.position, item.pk),
    )
    index = next((i for i, item in enumerate(ordered) if item.pk == priority.pk), None)
    if index is None:
        raise PermissionDenied
    membership = PccPriorityPolicy.require_member(acting_user, membership, V.MOVE, ordered[index])
    if direction not in ("up", "down"):
        raise ValidationError(_("Choose to move the priority up or down"))
    other = index - 1 if direction == "up" else index + 1
    if 0 <= other < len(ordered):
        ordered[index], ordered[other] = ordered[other], ordered[index]
    for position, item in enumerate(ordered, start=1):
        item.position = position
    PoliceAndCrimePlanPriority.objects.bulk_update(ordered, ["position"])
    audit_record(
        acting_user=acting_user,
        partnership=membership.partnership,
        action="pcc_priority.move",
        target=ordered[other] if 0 <= other < len(ordered) else ordered[index],
        changes={"order": [None, [item.title for item in ordered]]},
    )
    police_force_areas_changed([priority.police_force_area_id])
    return ordered
