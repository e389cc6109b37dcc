"""A plan's way to publication: consultation, sign-off by the seats the partnership's rule
requires, approval (which freezes the version), publication, and supersession by its refresh."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, locked_rows, transition
from partnerships.models import Membership, Partnership, Seat
from reminders.services import notifications_announce

from ..bilingual import ENGLISH, languages
from ..deadlines import consultation_items, sign_off_items
from ..documents import summary_snapshot
from ..models import (
    PLAN_TRANSITIONS,
    ApprovalRule,
    DocumentKind,
    PartnershipPlan,
    PlanStatus,
    SignOff,
)
from ..policies import ActionPolicy, PlanPolicy, PlanVerb, required_seats, seat_of
from ..selectors.documents import plan_for_rendering
from .documents import plan_document_request, welsh_document_missing
from .drafting import content_changed


def _transition(
    plan: PartnershipPlan,
    to: str,
    *,
    acting_user: User,
    action: str,
    audit_changes: dict | None = None,
    **fields,
):
    """``transition`` with the plan's map. The cover, the marking and the sign-off block change
    with the status, so the content revision moves on too: documents are made again."""
    plan = transition(
        plan,
        to,
        transitions=PLAN_TRANSITIONS,
        acting_user=acting_user,
        action=action,
        audit_changes=audit_changes or {},
        content_revision=F("content_revision") + 1,
        **fields,
    )
    plan.refresh_from_db(fields=["content_revision"])
    return plan


def approval_rule_update(
    *, acting_user: User, partnership: Partnership, seats: list[str]
) -> ApprovalRule:
    """Set which seats must sign a plan off. At least one statutory seat must."""
    statutory = {str(seat) for seat in Seat.statutory()}
    seats = [seat for seat in Seat.values if seat in set(seats)]
    with transaction.atomic():
        PlanPolicy.require_user(acting_user, partnership, PlanVerb.SET_SIGN_OFF_RULE)
        if not statutory & set(seats):
            raise ValidationError({"seats": _("Choose at least one statutory seat")})
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


def plan_open_consultation(
    *, acting_user: User, plan: PartnershipPlan, closes_on: date | None = None
) -> PartnershipPlan:
    """Open the version for comments until ``closes_on`` (by default CSP_PLAN_CONSULTATION_DAYS
    from today) and for sign-off. Those who may comment are told, with the closing date, and
    the strategy members of each seat that must sign are asked to, at once (the outbox)."""
    today = timezone.localdate()
    closes_on = closes_on or today + timedelta(days=settings.CSP_PLAN_CONSULTATION_DAYS)
    with transaction.atomic():
        plan = locked(plan, related=["partnership"])
        PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.OPEN_CONSULTATION, plan)
        if not plan.priorities.exists():
            raise ValidationError(_("Add at least one priority before consulting on the plan."))
        if closes_on <= today:
            raise ValidationError(
                {"closes_on": _("The closing date must be in the future")}, code="past"
            )
        plan = _transition(
            plan,
            PlanStatus.CONSULTATION,
            acting_user=acting_user,
            action="plan.consultation",
            audit_changes={"consultation_closes_on": [None, closes_on.isoformat()]},
            consultation_closes_on=closes_on,
            consultation_closed_at=None,
        )
        notifications_announce(items=consultation_items([plan], today=today))
        notifications_announce(items=sign_off_items([plan]))
        return plan


def plan_close_consultation(*, acting_user: User, plan: PartnershipPlan) -> PartnershipPlan:
    """Stop comments before the closing date. Sign-off goes on; the plan stays in consultation
    until the seats have signed (or it goes back to draft)."""
    with transaction.atomic():
        plan = locked(plan, related=["partnership"])
        PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.CLOSE_CONSULTATION, plan)
        plan.consultation_closed_at = timezone.now()
        plan.save(update_fields=["consultation_closed_at"])
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.consultation_close",
            target=plan,
            changes={"consultation_closed_at": [None, plan.consultation_closed_at.isoformat()]},
        )
    return plan


def plan_return_to_draft(*, acting_user: User, plan: PartnershipPlan) -> PartnershipPlan:
    """End consultation for more changes. Sign-offs given so far were for the old text: they go."""
    with transaction.atomic():
        plan = locked(plan, related=["partnership"])
        PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.RETURN_TO_DRAFT, plan)
        plan.sign_offs.all().delete()
        return _transition(plan, PlanStatus.DRAFT, acting_user=acting_user, action="plan.redraft")


def plan_sign_off(
    *,
    acting_user: User,
    membership: Membership,
    plan: PartnershipPlan,
    submission: Submission | None = None,
) -> PartnershipPlan:
    """Sign the plan off for the member's seat; the last required sign-off approves it."""
    with transaction.atomic():
        submission_claim(submission)
        plan = locked(plan, related=["partnership"])
        signer = PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.SIGN_OFF, plan)
        if membership.pk != signer.pk:
            raise PermissionDenied
        seat = seat_of(signer)
        content_changed(plan)
        SignOff.objects.create(
            plan=plan,
            seat=seat,
            user=acting_user,
            name=acting_user.full_name,
            organisation_name=signer.organisation.name,
        )
        audit_record(
            acting_user=acting_user,
            partnership=plan.partnership,
            action="plan.sign_off",
            target=plan,
            changes={"seat": [None, seat]},
        )
        signed = set(plan.sign_offs.values_list("seat", flat=True))
        if set(required_seats(plan.partnership)) <= signed:
            plan = _transition(
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
    for a render (scrutiny, the PCC office, the public) find them made: each in every language
    the partnership publishes in (the full plan in Welsh only when all its Welsh is there: the
    documents page says what it waits for)."""
    for kind in kinds:
        for language in languages(plan.partnership):
            if language == ENGLISH or not welsh_document_missing(plan=plan, kind=kind):
                plan_document_request(acting_user=None, plan=plan, kind=kind, language=language)


def plan_publish(*, acting_user: User, plan: PartnershipPlan) -> PartnershipPlan:
    """Publish an approved version; the version it refreshes is superseded at the same moment."""
    with transaction.atomic():
        plan = locked(plan, related=["partnership"])
        PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.PUBLISH, plan)
        now = timezone.now()
        for current in locked_rows(
            PartnershipPlan.objects.filter(
                partnership_id=plan.partnership_id, status=PlanStatus.PUBLISHED
            )
        ):
            _transition(
                current,
                PlanStatus.SUPERSEDED,
                acting_user=acting_user,
                action="plan.supersede",
                superseded_at=now,
            )
            ActionPolicy.end_grants(current)
        plan = _transition(
            plan,
            PlanStatus.PUBLISHED,
            acting_user=acting_user,
            action="plan.publish",
            published_at=now,
        )
        # The published summary, frozen as of now: its page and its PDF both show this.
        plan.published_summary = summary_snapshot(plan_for_rendering(plan_id=plan.pk))
        plan.save(update_fields=["published_summary"])
        _issue_documents(plan, DocumentKind.PLAN, DocumentKind.SUMMARY)
        return plan
