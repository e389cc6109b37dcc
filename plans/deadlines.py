"""What progress on the partnership plan falls due, when, and from whom.

DESIGN.md keeps deadlines as data: this module is the one place that answers it for the plan
cycle, and My actions, the progress dashboard and the reminders sweep all read it.

The rules:

- Progress is reported on the plan in force: the published version, or an approved version that
  is not waiting to replace a published one (a partnership's first plan before it is published).
  Drafts, versions under consultation and superseded versions owe nothing.
- Each action reports once a quarter, from the quarter it starts in until it is reported
  complete. The update for a quarter is due by the quarter's last day; it may be written from
  the quarter's first day. A quarter that has not started yet cannot be reported on.
- An update is overdue when the last completed quarter has none. Older gaps stay visible in the
  action's history but are no longer chased.
- An update is due from the people of the action's lead organisation who sit on its partnership
  in a role that reports progress; the coordinator may report on any action.

Every function takes ``today`` so that callers (and tests) decide what day it is; ``None`` means
the local date.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from partnerships.models import Membership

from .models import ActionStatus, PartnershipPlan, PlanAction, PlanStatus, ProgressUpdate, Quarter
from .permissions import REPORTING_ROLES


def local_today() -> date:
    return timezone.localdate()


def in_force_filter(prefix: str = "") -> Q:
    """The plans in force, as a filter; ``prefix`` reaches a plan from another model
    (``"plan__"`` from an action)."""
    return Q(**{f"{prefix}status": PlanStatus.PUBLISHED}) | (
        Q(**{f"{prefix}status": PlanStatus.APPROVED})
        & ~Q(**{f"{prefix}previous_version__status": PlanStatus.PUBLISHED})
    )


def is_in_force(plan: PartnershipPlan) -> bool:
    """The same rule for one plan (load ``previous_version`` with it to spare a query)."""
    if plan.status == PlanStatus.PUBLISHED:
        return True
    if plan.status != PlanStatus.APPROVED:
        return False
    previous = plan.previous_version
    return previous is None or previous.status != PlanStatus.PUBLISHED


def update_due_on(quarter: Quarter) -> date:
    """The day a quarter's update is due."""
    return quarter.ends_on


def reporting_quarter(*, plan: PartnershipPlan, today: date | None = None) -> Quarter | None:
    """The quarter whose update is being written now, or None outside the plan period."""
    quarter = Quarter.containing(today or local_today())
    return quarter if quarter in plan.quarters else None


def reportable_quarters(*, plan: PartnershipPlan, today: date | None = None) -> list[Quarter]:
    """The plan's quarters that have started, latest first: the ones progress may be given for."""
    today = today or local_today()
    return sorted((q for q in plan.quarters if q.starts_on <= today), reverse=True)


def last_completed_quarter(*, plan: PartnershipPlan, today: date | None = None) -> Quarter | None:
    today = today or local_today()
    ended = [quarter for quarter in plan.quarters if quarter.ends_on < today]
    return ended[-1] if ended else None


@dataclass(frozen=True)
class DueUpdate:
    """One quarter's update that an action still owes."""

    action: PlanAction
    quarter: Quarter
    due_on: date
    days_left: int

    @property
    def is_overdue(self) -> bool:
        return self.days_left < 0

    @property
    def organisation_id(self) -> int:
        return self.action.lead_organisation_id


@dataclass(frozen=True)
class ReportingState:
    """Where one action stands for this quarter: what is in, what is owed, what is overdue."""

    quarter: Quarter | None
    submitted: bool
    due: DueUpdate | None
    overdue: DueUpdate | None

    @property
    def owed(self) -> list[DueUpdate]:
        return [item for item in (self.overdue, self.due) if item is not None]


def _owes(action: PlanAction, quarter: Quarter | None, reported: set[tuple[int, int]]) -> bool:
    return (
        quarter is not None
        and action.status != ActionStatus.COMPLETE
        and action.start_date <= quarter.ends_on
        and quarter.key not in reported
    )


def reporting_state(action: PlanAction, *, today: date | None = None) -> ReportingState:
    """Needs ``action.plan`` and ``action.progress_updates`` loaded (see ``with_reporting``);
    the action's plan is taken to be in force."""
    today = today or local_today()
    reported = {(update.year_start, update.quarter) for update in action.progress_updates.all()}
    current = reporting_quarter(plan=action.plan, today=today)
    previous = last_completed_quarter(plan=action.plan, today=today)

    def owed(quarter: Quarter | None) -> DueUpdate | None:
        if not _owes(action, quarter, reported):
            return None
        due_on = update_due_on(quarter)
        return DueUpdate(
            action=action, quarter=quarter, due_on=due_on, days_left=(due_on - today).days
        )

    return ReportingState(
        quarter=current,
        submitted=current is not None and current.key in reported,
        due=owed(current),
        overdue=owed(previous),
    )


def with_reporting(actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """What ``reporting_state`` reads, in two queries however many actions there are."""
    return actions.select_related("plan", "lead_organisation").prefetch_related(
        Prefetch(
            "progress_updates",
            queryset=ProgressUpdate.objects.only("id", "action_id", "year_start", "quarter"),
        )
    )


def due_for_actions(actions: Iterable[PlanAction], *, today: date | None = None) -> list[DueUpdate]:
    """Every update the given actions (of plans in force) owe, overdue ones first."""
    today = today or local_today()
    owed = [item for action in actions for item in reporting_state(action, today=today).owed]
    return sorted(owed, key=lambda item: (item.due_on, item.action.pk))


def _plan_actions(plan: PartnershipPlan, actions: Iterable[PlanAction] | None):
    if actions is not None:
        return list(actions)
    return list(with_reporting(PlanAction.objects.filter(plan=plan)))


def progress_due(
    *,
    plan: PartnershipPlan,
    today: date | None = None,
    actions: Iterable[PlanAction] | None = None,
) -> list[DueUpdate]:
    """The updates the plan's actions still owe: this quarter's, and the last completed
    quarter's where it is missing (overdue). ``actions`` may pass the plan's actions already
    loaded as ``with_reporting`` loads them."""
    if not is_in_force(plan):
        return []
    return due_for_actions(_plan_actions(plan, actions), today=today)


def overdue_updates(
    *,
    plan: PartnershipPlan,
    today: date | None = None,
    actions: Iterable[PlanAction] | None = None,
) -> list[DueUpdate]:
    """Actions with no update for the last completed quarter."""
    return [
        item for item in progress_due(plan=plan, today=today, actions=actions) if item.is_overdue
    ]


def past_due_actions(
    *,
    plan: PartnershipPlan,
    today: date | None = None,
    actions: Iterable[PlanAction] | None = None,
) -> list[PlanAction]:
    """Actions of the plan in force whose due date has passed and that are not complete."""
    if not is_in_force(plan):
        return []
    today = today or local_today()
    return sorted(
        (
            action
            for action in _plan_actions(plan, actions)
            if action.due_date < today and action.status != ActionStatus.COMPLETE
        ),
        key=lambda action: (action.due_date, action.pk),
    )


def all_progress_due(*, today: date | None = None) -> list[DueUpdate]:
    """Every update owed on every plan in force, for the reminders sweep: two queries."""
    actions = with_reporting(
        PlanAction.objects.filter(in_force_filter("plan__")).select_related("partnership")
    )
    return due_for_actions(actions, today=today)


def due_from(*, updates: Iterable[DueUpdate]) -> dict[int, list[User]]:
    """Who each owed update is due from, by action id: the lead organisation's people on the
    action's partnership in a reporting role (one query). The coordinator, who may report on any
    action, is not chased for other organisations' updates."""
    updates = list(updates)
    wanted = {(item.action.partnership_id, item.organisation_id) for item in updates}
    if not wanted:
        return {}
    memberships = Membership.objects.filter(
        partnership_id__in={partnership for partnership, _organisation in wanted},
        organisation_id__in={organisation for _partnership, organisation in wanted},
        role__in=REPORTING_ROLES,
    ).select_related("user")
    people: dict[tuple[int, int], list[User]] = {}
    for membership in memberships:
        key = (membership.partnership_id, membership.organisation_id)
        if key in wanted:
            people.setdefault(key, []).append(membership.user)
    return {
        item.action.pk: people.get((item.action.partnership_id, item.organisation_id), [])
        for item in updates
    }
