"""A plan's way to publication: consultation, sign-off by the seats the partnership's rule
requires, approval (which freezes the version), publication, and supersession by its refresh."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from partnerships.models import Membership, PartnerOrganisation, Partnership, Role, Seat

from ..models import (
    PLAN_TRANSITIONS,
    ApprovalRule,
    DocumentKind,
    PartnershipPlan,
    PlanStatus,
    SignOff,
)
from .documents import plan_document_request
from .drafting import content_changed, locked_plan


def _check_transition(plan: PartnershipPlan, status: str) -> None:
    if status not in PLAN_TRANSITIONS[plan.status]:
        raise ValidationError(
            _("A plan that is %(current)s cannot be made %(next)s.")
            % {
                "current": plan.get_status_display().lower(),
                "next": PlanStatus(status).label.lower(),
            },
            code="transition",
        )


def _set_status(
    plan: PartnershipPlan, status: str, *, acting_user: User, action: str, **fields
) -> PartnershipPlan:
    """The only way a plan's status changes: on a locked row, checked against the map, audited."""
    _check_transition(plan, status)
    before = plan.status
    plan.status = status
    plan.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(plan, name, value)
    # The cover, the marking and the sign-off block change with the status: documents too.
    plan.content_revision += 1
    plan.save()
    audit_record(
        acting_user=acting_user,
        partnership=plan.partnership,
        action=action,
        target=plan,
        changes={"status": [before, status]},
    )
    return plan


def required_seats(partnership: Partnership) -> list[str]:
    rule = ApprovalRule.objects.filter(partnership=partnership).first()
    return rule.required_seats if rule else ApprovalRule.default_seats()


def approval_rule_update(
    *, acting_user: User, partnership: Partnership, seats: list[str]
) -> ApprovalRule:
    """Set which seats must sign a plan off. At least one statutory seat must."""
    statutory = {str(seat) for seat in Seat.statutory()}
    seats = [seat for seat in Seat.values if seat in set(seats)]
    if not statutory & set(seats):
        raise ValidationError({"seats": _("Choose at least one statutory seat")})
    with transaction.atomic():
        rule, _created = ApprovalRule.objects.select_for_update().get_or_create(
            partnership=partnership, defaults={"required_seats": ApprovalRule.default_seats()}
        )
        before = list(rule.required_seats)
        rule.required_seats = seats
        rule.save()
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="plan.approval_rule_update",
            target=rule,
            changes={"required_seats": [before, seats]},
        )
    return rule


def plan_open_consultation(*, acting_user: User, plan: PartnershipPlan) -> PartnershipPlan:
    with transaction.atomic():
        plan = locked_plan(plan.pk)
        if not plan.priorities.exists():
            _check_transition(plan, PlanStatus.CONSULTATION)
            raise ValidationError(_("Add at least one priority before consulting on the plan."))
        return _set_status(
            plan, PlanStatus.CONSULTATION, acting_user=acting_user, action="plan.consultation"
        )


def plan_return_to_draft(*, acting_user: User, plan: PartnershipPlan) -> PartnershipPlan:
    """End consultation for more changes. Sign-offs given so far were for the old text: they go."""
    with transaction.atomic():
        plan = locked_plan(plan.pk)
        _check_transition(plan, PlanStatus.DRAFT)
        plan.sign_offs.all().delete()
        return _set_status(plan, PlanStatus.DRAFT, acting_user=acting_user, action="plan.redraft")


def seat_of(membership: Membership) -> str | None:
    """The seat the member's organisation holds on their partnership (statutory first)."""
    seats = set(
        PartnerOrganisation.objects.filter(
            partnership_id=membership.partnership_id, organisation_id=membership.organisation_id
        ).values_list("seat", flat=True)
    )
    return next((seat for seat in Seat.values if seat in seats), None)


def plan_sign_off(
    *,
    acting_user: User,
    membership: Membership,
    plan: PartnershipPlan,
    submission: Submission | None = None,
) -> PartnershipPlan:
    """Sign the plan off for the member's seat; the last required sign-off approves it."""
    if (
        membership.role != Role.STRATEGY_MEMBER
        or membership.partnership_id != plan.partnership_id
        or membership.user_id != acting_user.pk
    ):
        raise PermissionDenied
    with transaction.atomic():
        submission_claim(submission)
        plan = locked_plan(plan.pk)
        if plan.status != PlanStatus.CONSULTATION:
            raise ValidationError(_("Only a plan under consultation can be signed off."))
        seat = seat_of(membership)
        seats = required_seats(plan.partnership)
        if seat not in seats:
            raise ValidationError(
                _("Your organisation does not hold a seat that signs this plan off.")
            )
        if plan.sign_offs.filter(seat=seat).exists():
            raise ValidationError(
                _("The %(seat)s seat has already signed this plan off.")
                % {"seat": Seat(seat).label.lower()}
            )
        content_changed(plan)
        SignOff.objects.create(
            plan=plan,
            seat=seat,
            user=acting_user,
            name=acting_user.full_name,
            organisation_name=membership.organisation.name,
        )
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.sign_off",
            target=plan,
            changes={"seat": [None, seat]},
        )
        signed = set(plan.sign_offs.values_list("seat", flat=True))
        if set(seats) <= signed:
            _set_status(
                plan,
                PlanStatus.APPROVED,
                acting_user=acting_user,
                action="plan.approve",
                approved_at=timezone.now(),
            )
            _issue_documents(plan, DocumentKind.PLAN)
    return plan


def _issue_documents(plan: PartnershipPlan, *kinds: str) -> None:
    """Queue the PDFs of a version that has just been issued, so that readers who may not ask
    for a render (scrutiny, the PCC office, the public) find them made."""
    for kind in kinds:
        plan_document_request(acting_user=None, plan=plan, kind=kind)


def plan_publish(*, acting_user: User, plan: PartnershipPlan) -> PartnershipPlan:
    """Publish an approved version; the version it refreshes is superseded at the same moment."""
    with transaction.atomic():
        plan = locked_plan(plan.pk)
        _check_transition(plan, PlanStatus.PUBLISHED)
        now = timezone.now()
        current = (
            PartnershipPlan.objects.select_for_update()
            .filter(partnership_id=plan.partnership_id, status=PlanStatus.PUBLISHED)
            .first()
        )
        if current is not None:
            _set_status(
                current,
                PlanStatus.SUPERSEDED,
                acting_user=acting_user,
                action="plan.supersede",
                superseded_at=now,
            )
        plan = _set_status(
            plan,
            PlanStatus.PUBLISHED,
            acting_user=acting_user,
            action="plan.publish",
            published_at=now,
        )
        _issue_documents(plan, DocumentKind.PLAN, DocumentKind.SUMMARY)
        return plan
