"""Community safety grants: the local policing body's office offers a grant to the partnership
(amount, financial years, conditions, the actions and measures of the plan in force it funds),
changes it while it is an offer, and ends it; the partnership's coordinators accept it and report
what was spent of it, and to what effect, each quarter.

A grant is part of its plan's resources section: every change to it moves the plan's content
revision on, so the plan's document is made again with it."""

from collections.abc import Iterable
from datetime import date
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.concurrency import stale_edit_error
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import Partnership

from .. import deadlines
from ..models import (
    GRANT_TRANSITIONS,
    PLAN_YEARS,
    CommunitySafetyGrant,
    GrantSpendReturn,
    GrantStatus,
    Measure,
    PartnershipPlan,
    PlanAction,
    Quarter,
)
from ..policies import GrantPolicy, GrantVerb
from ..selectors.grants import plan_in_force


def _money(value: Decimal) -> str:
    """An amount as the audit log records it: always in pounds and pence."""
    return f"{Decimal(value):.2f}"


def _plan_content_changed(plan_id: int) -> None:
    PartnershipPlan.objects.filter(pk=plan_id).update(content_revision=F("content_revision") + 1)


def _checked_terms(
    *,
    plan: PartnershipPlan | None,
    amount: Decimal | None,
    first_year: int | None,
    last_year: int | None,
    actions: Iterable[PlanAction],
    measures: Iterable[Measure],
) -> tuple[list[PlanAction], list[Measure]]:
    """The grant's terms checked against the plan in force; the actions and measures it funds
    must be that plan's (an id from another partnership or plan is refused, never linked)."""
    if plan is None:
        raise ValidationError(
            _("The partnership has no plan in force, so there are no actions to fund yet.")
        )
    errors = {}
    if amount is None or amount < 0:
        errors["amount"] = _("Enter an amount of £0 or more")
    years = range(plan.period_start, plan.period_start + PLAN_YEARS)
    if first_year not in years:
        errors["first_year"] = _("Choose a financial year of the plan in force")
    if last_year not in years:
        errors["last_year"] = _("Choose a financial year of the plan in force")
    elif first_year in years and last_year < first_year:
        errors["last_year"] = _("The last year must be the same as or after the first year")
    # Asked of the database, not of the objects handed in: never trust an id.
    action_ids = {action.pk for action in actions}
    measure_ids = {measure.pk for measure in measures}
    actions = list(PlanAction.objects.filter(pk__in=action_ids, plan=plan))
    measures = list(Measure.objects.filter(pk__in=measure_ids, action__plan=plan))
    if len(actions) != len(action_ids):
        errors["actions"] = _("Choose actions of the plan in force")
    if len(measures) != len(measure_ids):
        errors["measures"] = _("Choose measures of the plan in force")
    if errors:
        raise ValidationError(errors)
    return actions, measures


def _links(actions: Iterable[PlanAction], measures: Iterable[Measure]) -> dict[str, list]:
    return {
        "actions": sorted(action.pk for action in actions),
        "measures": sorted(measure.pk for measure in measures),
    }


def grant_offer(
    *,
    acting_user: User,
    partnership: Partnership,
    title: str,
    amount: Decimal | None,
    first_year: int | None,
    last_year: int | None,
    conditions: str = "",
    actions: Iterable[PlanAction] = (),
    measures: Iterable[Measure] = (),
    today: date | None = None,
    submission: Submission | None = None,
) -> CommunitySafetyGrant:
    """Record the grant the body's office offers the partnership, for the actions and measures
    of its plan in force. Sent twice with the same ``submission``, it records one grant."""
    today = today or deadlines.local_today()
    with transaction.atomic():
        submission_claim(submission)
        membership = GrantPolicy.require_user(acting_user, partnership, GrantVerb.OFFER)
        plan = plan_in_force(partnership.pk)
        actions, measures = _checked_terms(
            plan=plan,
            amount=amount,
            first_year=first_year,
            last_year=last_year,
            actions=actions,
            measures=measures,
        )
        grant = CommunitySafetyGrant(
            partnership=partnership,
            plan=plan,
            offered_by=membership.organisation,
            offered_on=today,
            title=title.strip(),
            amount=amount,
            first_year=first_year,
            last_year=last_year,
            conditions=conditions.strip(),
            recorded_by=acting_user,
        )
        grant.full_clean()
        grant.save()
        grant.actions.set(actions)
        grant.measures.set(measures)
        _plan_content_changed(plan.pk)
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="grant.offer",
            target=grant,
            changes={
                "title": [None, grant.title],
                "amount": [None, _money(grant.amount)],
                "period": [None, grant.period_label],
                "conditions": [None, grant.conditions],
                **{key: [None, value] for key, value in _links(actions, measures).items()},
            },
        )
    return grant


def grant_update(
    *,
    acting_user: User,
    grant: CommunitySafetyGrant,
    title: str,
    amount: Decimal | None,
    first_year: int | None,
    last_year: int | None,
    conditions: str = "",
    actions: Iterable[PlanAction] = (),
    measures: Iterable[Measure] = (),
    revision: int | None = None,
) -> CommunitySafetyGrant:
    """Change an offer's terms (the office that offered it; not once it is accepted).
    ``revision`` is the one the person was shown: a change over someone else's is refused."""
    with transaction.atomic():
        grant = locked(grant, related=["partnership", "plan"])
        GrantPolicy.require_user(acting_user, grant.partnership, GrantVerb.EDIT, grant)
        if revision is not None and revision != grant.revision:
            raise stale_edit_error(grant.recorded_by, grant.status_changed_at)
        actions, measures = _checked_terms(
            plan=grant.plan,
            amount=amount,
            first_year=first_year,
            last_year=last_year,
            actions=actions,
            measures=measures,
        )
        before = {
            "title": grant.title,
            "amount": _money(grant.amount),
            "period": grant.period_label,
            "conditions": grant.conditions,
            **_links(grant.actions.all(), grant.measures.all()),
        }
        grant.title, grant.amount, grant.conditions = title.strip(), amount, conditions.strip()
        grant.first_year, grant.last_year = first_year, last_year
        grant.revision += 1
        grant.recorded_by = acting_user
        grant.full_clean()
        grant.save()
        grant.actions.set(actions)
        grant.measures.set(measures)
        after = {
            "title": grant.title,
            "amount": _money(grant.amount),
            "period": grant.period_label,
            "conditions": grant.conditions,
            **_links(actions, measures),
        }
        changes = {key: [before[key], after[key]] for key in after if before[key] != after[key]}
        if changes:
            _plan_content_changed(grant.plan_id)
            audit_record(
                acting_user=acting_user,
                partnership=grant.partnership,
                action="grant.update",
                target=grant,
                changes=changes,
            )
    return grant


def grant_accept(*, acting_user: User, grant: CommunitySafetyGrant) -> CommunitySafetyGrant:
    """The partnership accepts the offer on its conditions: spend is reported from now on."""
    with transaction.atomic():
        grant = locked(grant, related=["partnership"])
        GrantPolicy.require_user(acting_user, grant.partnership, GrantVerb.ACCEPT, grant)
        grant = transition(
            grant,
            GrantStatus.ACCEPTED,
            transitions=GRANT_TRANSITIONS,
            acting_user=acting_user,
            action="grant.accept",
            accepted_at=timezone.now(),
        )
        _plan_content_changed(grant.plan_id)
    return grant


def grant_end(
    *, acting_user: User, grant: CommunitySafetyGrant, today: date | None = None
) -> CommunitySafetyGrant:
    """The body's office ends the grant (or withdraws an offer): returns stay owed for the
    quarters up to today and no later."""
    today = today or deadlines.local_today()
    with transaction.atomic():
        grant = locked(grant, related=["partnership"])
        GrantPolicy.require_user(acting_user, grant.partnership, GrantVerb.END, grant)
        grant = transition(
            grant,
            GrantStatus.ENDED,
            transitions=GRANT_TRANSITIONS,
            acting_user=acting_user,
            action="grant.end",
            ended_on=today,
        )
        _plan_content_changed(grant.plan_id)
    return grant


def grant_spend_report(
    *,
    acting_user: User,
    grant: CommunitySafetyGrant,
    quarter: Quarter,
    amount_spent: Decimal | None,
    outcome: str,
    revision: int | None = None,
    today: date | None = None,
    submission: Submission | None = None,
) -> GrantSpendReturn:
    """Record (or correct) what was spent of the grant in one quarter and what it achieved.
    ``revision`` is the quarter's return as the person was shown it (0 for none): a return saved
    by someone else since is not overwritten. Sent twice, the second changes nothing more."""
    today = today or deadlines.local_today()
    with transaction.atomic():
        submission_claim(submission)
        # The grant's row lock serialises returns on it, so the upsert below cannot race.
        grant = locked(grant, related=["partnership"])
        GrantPolicy.require_user(acting_user, grant.partnership, GrantVerb.REPORT_SPEND, grant)
        errors = {}
        if quarter not in deadlines.grant_reportable_quarters(grant, today=today):
            errors["quarter"] = _(
                "Choose a quarter of the grant's period, up to and including the current quarter"
            )
        if amount_spent is None or amount_spent < 0:
            errors["amount_spent"] = _("Enter the amount spent, £0 or more")
        outcome = outcome.strip()
        if not outcome:
            errors["outcome"] = _("Say what the money achieved this quarter")
        if errors:
            raise ValidationError(errors)
        period = {"year_start": quarter.year_start, "quarter": quarter.number}
        spend = GrantSpendReturn.objects.filter(grant=grant, **period).first()
        if revision is not None and revision != (spend.revision if spend else 0):
            raise stale_edit_error(
                spend.submitted_by if spend else None,
                spend.submitted_at if spend else timezone.now(),
            )
        before = [None, None] if spend is None else [_money(spend.amount_spent), spend.outcome]
        if spend is None:
            spend = GrantSpendReturn(grant=grant, partnership=grant.partnership, **period)
        elif before == [_money(amount_spent), outcome]:
            return spend
        else:
            spend.revision += 1
        spend.amount_spent, spend.outcome, spend.submitted_by = amount_spent, outcome, acting_user
        spend.full_clean()
        spend.save()
        _plan_content_changed(grant.plan_id)
        audit_record(
            acting_user=acting_user,
            partnership=grant.partnership,
            action="grant.spend_report",
            target=grant,
            changes={
                "quarter": [None, str(quarter)],
                "amount_spent": [before[0], _money(spend.amount_spent)],
                "outcome": [before[1], outcome],
            },
        )
    return spend
