"""What falls due in the partnership plan cycle (each quarter's progress, with its measure
actuals, and the annual refresh), when, and from whom.

DESIGN.md keeps deadlines as data: this module is the one place that answers it for the plan
cycle, and My actions, the progress dashboard and the reminders sweep all read it (the sweep
through the cycles registered at the end of this module).

The rules for progress (the annual refresh has its own, further down):

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

import operator
from collections import defaultdict
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from functools import lru_cache, reduce

from django.conf import settings
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessments.models import financial_year_label
from partnerships.consultation import comment_counts
from partnerships.models import PartnerOrganisation, Seat
from reminders.cycles import Cycle, DueItem, WorkflowLine, register

from .models import (
    ISSUED_PLAN_STATUSES,
    PLAN_YEARS,
    ActionStatus,
    CommunitySafetyGrant,
    GrantSpendReturn,
    PartnershipPlan,
    PlanAction,
    PlanComment,
    PlanStatus,
    ProgressReport,
    ProgressReportRead,
    ProgressUpdate,
    Quarter,
    SignOff,
)
from .policies import (
    COMMENTING_ROLES,
    PLAN_RUNNING_ROLES,
    REPORT_READING_ROLES,
    REPORTING_ROLES,
    SIGNING_ROLES,
    SPEND_REPORTING_ROLES,
    ActionPolicy,
    GrantPolicy,
    PlanPolicy,
    ProgressReportPolicy,
    required_seats_by_partnership,
)


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
    return plan.is_in_force


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


@lru_cache(maxsize=64)
def _reporting_quarters(period_start: int, today: date) -> tuple[Quarter | None, Quarter | None]:
    """The quarter being reported and the last completed one, for a plan period on a day: the
    same for every action of every plan of that period, so worked out once."""
    plan = PartnershipPlan(period_start=period_start)
    return reporting_quarter(plan=plan, today=today), last_completed_quarter(plan=plan, today=today)


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


def _owes(
    status: str, start_date: date, quarter: Quarter | None, reported: Collection[tuple[int, int]]
) -> bool:
    """Whether an action (its status and start date) owes the quarter's update, ``reported``
    holding the quarters (``Quarter.key``) it has an update for."""
    return (
        quarter is not None
        and status != ActionStatus.COMPLETE
        and start_date <= quarter.ends_on
        and quarter.key not in reported
    )


def reporting_state(action: PlanAction, *, today: date | None = None) -> ReportingState:
    """Needs ``action.plan`` and ``action.progress_updates`` loaded (see ``with_reporting``);
    the action's plan is taken to be in force."""
    today = today or local_today()
    reported = {(update.year_start, update.quarter) for update in action.progress_updates.all()}
    current, previous = _reporting_quarters(action.plan.period_start, today)

    def owed(quarter: Quarter | None) -> DueUpdate | None:
        if not _owes(action.status, action.start_date, quarter, reported):
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


def overdue_update_filter(quarter: Quarter, prefix: str = "") -> Q:
    """``_owes`` for the last completed quarter as a filter on actions: not complete, started by
    the quarter's end, and no update for it (``prefix`` reaches the action from another model)."""
    reported = ProgressUpdate.objects.filter(
        action=OuterRef(f"{prefix}pk"), year_start=quarter.year_start, quarter=quarter.number
    )
    return (
        ~Q(**{f"{prefix}status": ActionStatus.COMPLETE})
        & Q(**{f"{prefix}start_date__lte": quarter.ends_on})
        & ~Exists(reported)
    )


def overdue_update_count(
    actions: QuerySet[PlanAction],
    *,
    today: date | None = None,
    periods: Iterable[int] | None = None,
) -> int:
    """How many of ``actions`` (of plans in force) have no update for their plan's last completed
    quarter, counted in the database in one query (plans of one period share that quarter),
    however many actions there are; one more to find the periods unless ``periods`` (the plan
    periods among ``actions``) are given."""
    today = today or local_today()
    actions = actions.order_by().prefetch_related(None)
    if periods is None:
        periods = actions.values_list("plan__period_start", flat=True).distinct()
    owing = []
    for period_start in sorted(set(periods)):
        quarter = last_completed_quarter(
            plan=PartnershipPlan(period_start=period_start), today=today
        )
        if quarter is not None:
            owing.append(Q(plan__period_start=period_start) & overdue_update_filter(quarter))
    if not owing:
        return 0
    return actions.filter(reduce(operator.or_, owing)).count()


def with_reporting(actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """What ``reporting_state`` reads, in two queries however many actions there are. Not the
    plan's published summary: a document's worth of JSON, decoded again for every action."""
    return (
        actions.select_related("plan", "lead_organisation")
        .defer("plan__published_summary")
        .prefetch_related(
            Prefetch(
                "progress_updates",
                queryset=ProgressUpdate.objects.only("id", "action_id", "year_start", "quarter"),
            )
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


def all_progress_due(
    *, today: date | None = None, partnership_ids: Collection[int] | None = None
) -> list[DueUpdate]:
    """Every update owed on every plan in force (of those partnerships, when given), for the
    reminders sweep: two queries."""
    actions = PlanAction.objects.filter(in_force_filter("plan__")).select_related("partnership")
    if partnership_ids is not None:
        actions = actions.filter(partnership_id__in=partnership_ids)
    return due_for_actions(with_reporting(actions), today=today)


@dataclass(frozen=True)
class OwedUpdate:
    """One quarter's update an action owes, as a reminder tells it: the few fields of the action
    it names, not the action (the sweep reads thousands, Your work hundreds)."""

    action_id: int
    partnership_id: int
    partnership_name: str
    partnership_slug: str
    organisation_id: int
    description: str
    quarter: Quarter
    due_on: date


def owed_updates(actions: QuerySet[PlanAction], *, today: date) -> list[OwedUpdate]:
    """Every update ``actions`` (of plans in force) owe, in the order of ``due_for_actions``, by
    ``reporting_state``'s rule: two queries, the actions' fields and their updates for the
    quarters owed now alone (not each action's history), however many actions there are."""
    rows = list(
        actions.order_by().values_list(
            "pk",
            "partnership_id",
            "partnership__name",
            "partnership__slug",
            "lead_organisation_id",
            "description",
            "status",
            "start_date",
            "plan__period_start",
        )
    )
    asked = {
        quarter.key
        for period_start in {row[-1] for row in rows}
        for quarter in _reporting_quarters(period_start, today)
        if quarter is not None
    }
    reported: dict[int, set[tuple[int, int]]] = defaultdict(set)
    if asked:
        in_quarters = Q()
        for year_start, number in sorted(asked):
            in_quarters |= Q(year_start=year_start, quarter=number)
        for action_id, year_start, number in (
            ProgressUpdate.objects.filter(in_quarters, action__in=actions.order_by().values("pk"))
            .order_by()
            .values_list("action_id", "year_start", "quarter")
        ):
            reported[action_id].add((year_start, number))
    owed = []
    for pk, partnership_id, name, slug, organisation_id, description, status, start, period in rows:
        current, previous = _reporting_quarters(period, today)
        for quarter in (previous, current):
            if _owes(status, start, quarter, reported.get(pk, ())):
                owed.append(
                    OwedUpdate(
                        action_id=pk,
                        partnership_id=partnership_id,
                        partnership_name=name,
                        partnership_slug=slug,
                        organisation_id=organisation_id,
                        description=description,
                        quarter=quarter,
                        due_on=update_due_on(quarter),
                    )
                )
    return sorted(owed, key=lambda item: (item.due_on, item.action_id))


def actions_owing_progress(
    *, partnership_ids: Collection[int] | None = None, user_id: int | None = None
) -> QuerySet[PlanAction]:
    """The actions of plans in force (of those partnerships, when given) that may owe updates;
    with ``user_id``, only those whose updates are due from that person (see ``due_from``): an
    analyst in 32 partnerships owes a few dozen of the thousands."""
    actions = PlanAction.objects.filter(in_force_filter("plan__")).exclude(
        status=ActionStatus.COMPLETE  # a complete action owes nothing (``_owes``)
    )
    if partnership_ids is not None:
        actions = actions.filter(partnership_id__in=partnership_ids)
    if user_id is not None:
        actions = actions.filter(ActionPolicy.progress_owed_by(user_id))
    return actions


def owed_update_people(updates: Iterable[OwedUpdate]) -> dict[tuple[int, int], frozenset[int]]:
    """``due_from`` for ``owed_updates``: the active people each update is due from, by (action's
    partnership, lead organisation) (one query, none without updates)."""
    wanted = {(item.partnership_id, item.organisation_id) for item in updates}
    if not wanted:
        return {}
    people: dict[tuple[int, int], set[int]] = defaultdict(set)
    for partnership_id, organisation_id, user_id in (
        ActionPolicy.progress_reporters(
            partnership_ids={partnership for partnership, _organisation in wanted},
            organisation_ids={organisation for _partnership, organisation in wanted},
        )
        .filter(user__is_active=True)
        .order_by()
        .values_list("partnership_id", "organisation_id", "user_id")
    ):
        people[(partnership_id, organisation_id)].add(user_id)
    return {key: frozenset(people.get(key, ())) for key in wanted}


def due_from(*, updates: Iterable[DueUpdate]) -> dict[int, list[User]]:
    """Who each owed update is due from, by action id: the lead organisation's people on the
    action's partnership in a reporting role (one query). The coordinator, who may report on any
    action, is not chased for other organisations' updates."""
    updates = list(updates)
    wanted = {(item.action.partnership_id, item.organisation_id) for item in updates}
    if not wanted:
        return {}
    memberships = ActionPolicy.progress_reporters(
        partnership_ids={partnership for partnership, _organisation in wanted},
        organisation_ids={organisation for _partnership, organisation in wanted},
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


# The annual refresh ----------------------------------------------------------------------------
#
# The plan is revised before each financial year starts on 1 April: for the year Y, a version of
# the plan (a refresh, or a new three-year plan once the period runs out) must be approved by
# 31 March of Y. Each approved version counts for one year: a first version for its first year, a
# refresh for the year after the version it refreshes; a version approved after that year had
# begun counts for the year it was approved in (it was late). The next refresh is due before the
# year after the latest approved version's. It is due from the partnership's coordinators, and
# approval of the next version (not its publication) ends it.


def _financial_year(moment) -> int:
    return Quarter.containing(timezone.localdate(moment)).year_start


def refresh_years(plans: Iterable[PartnershipPlan]) -> dict[int, int]:
    """The year each approved version counts for, by plan id. ``plans`` are one or more
    partnerships' approved versions (with their ``approved_at``)."""
    years: dict[int, int] = {}
    for plan in sorted(plans, key=lambda plan: (plan.approved_at, plan.pk)):
        first = (
            years[plan.previous_version_id] + 1
            if plan.previous_version_id in years
            else plan.period_start
        )
        years[plan.pk] = max(first, _financial_year(plan.approved_at))
    return years


def refresh_due_on(year_start: int) -> date:
    """The last day to approve the plan for the financial year starting 1 April ``year_start``."""
    return date(year_start, 3, 31)


@dataclass(frozen=True)
class RefreshDue:
    plan: PartnershipPlan  # the latest approved version
    year_start: int  # the year the next version is for
    due_on: date

    @property
    def needs_new_plan(self) -> bool:
        """The plan's three years are over: the next version is a new plan, not a refresh."""
        return self.year_start >= self.plan.period_start + PLAN_YEARS


def refreshes_due(*, partnership_ids: Collection[int] | None = None) -> list[RefreshDue]:
    """The next refresh of every partnership with an approved plan (one query)."""
    plans = (
        PartnershipPlan.objects.filter(status__in=ISSUED_PLAN_STATUSES)
        .select_related("partnership")
        .defer("published_summary")
    )
    if partnership_ids is not None:
        plans = plans.filter(partnership_id__in=partnership_ids)
    plans = list(plans)
    years = refresh_years(plans)
    latest: dict[int, PartnershipPlan] = {}
    for plan in sorted(plans, key=lambda plan: (plan.approved_at, plan.pk)):
        if plan.status != PlanStatus.SUPERSEDED:
            latest[plan.partnership_id] = plan
    return [
        RefreshDue(plan=plan, year_start=year, due_on=refresh_due_on(year))
        for plan in latest.values()
        for year in [years[plan.pk] + 1]
    ]


# The cycles the reminders read ------------------------------------------------------------------


def _people(memberships) -> dict[int, set[int]]:
    people: dict[int, set[int]] = {}
    for partnership_id, user_id in memberships.order_by().values_list("partnership_id", "user_id"):
        people.setdefault(partnership_id, set()).add(user_id)
    return people


@register
class PlanRefreshCycle(Cycle):
    kind = "plan_refresh"
    label = _("Annual refresh of the partnership plan")
    owing_roles = PLAN_RUNNING_ROLES
    watched_by_force_area = True
    year_order = 30

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        refreshes = refreshes_due(partnership_ids=partnership_ids)
        if not refreshes:
            return []
        coordinators = _people(
            PlanPolicy.refresh_recipients({item.plan.partnership_id for item in refreshes})
        )
        return [
            DueItem(
                kind=self.kind,
                key=f"plan_refresh:{item.plan.partnership_id}:{item.year_start}",
                partnership_id=item.plan.partnership_id,
                partnership_name=item.plan.partnership.name,
                due_on=item.due_on,
                title=(
                    gettext("New partnership plan approved for %(year)s")
                    if item.needs_new_plan
                    else gettext("Partnership plan revised and approved for %(year)s")
                )
                % {"year": financial_year_label(item.year_start)},
                url=reverse("plans:list", kwargs={"partnership_slug": item.plan.partnership.slug}),
                recipients=frozenset(coordinators.get(item.plan.partnership_id, ())),
            )
            for item in refreshes
        ]

    def due_to(self, *, user_id: int, today: date, partnership_ids: Collection[int]):
        return self.due_to_members(
            PlanPolicy.refresh_recipients(partnership_ids), user_id=user_id, today=today
        )


@register
class ProgressUpdateCycle(Cycle):
    kind = "progress_update"
    label = _("Quarterly progress update and measure actuals")
    owing_roles = REPORTING_ROLES
    year_order = 40

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return self._items(
            owed_updates(actions_owing_progress(partnership_ids=partnership_ids), today=today)
        )

    def due_to(self, *, user_id: int, today: date, partnership_ids: Collection[int]):
        actions = actions_owing_progress(partnership_ids=partnership_ids, user_id=user_id)
        items = self._items(owed_updates(actions, today=today))
        return [item for item in items if user_id in item.recipients]

    def _items(self, updates: list[OwedUpdate]) -> list[DueItem]:
        people = owed_update_people(updates)
        progress_url = ProgressUrls()
        # Translated once, not once an item: an analyst's Your work holds hundreds.
        title = gettext("%(quarter)s update: %(action)s")
        return [
            DueItem(
                kind=self.kind,
                key=f"progress:{item.action_id}:{item.quarter.code}",
                partnership_id=item.partnership_id,
                partnership_name=item.partnership_name,
                due_on=item.due_on,
                title=title % {"quarter": item.quarter, "action": _shortened(item.description)},
                url=f"{progress_url.for_id(item.action_id, item.partnership_slug)}"
                f"?quarter={item.quarter.code}",
                recipients=people[(item.partnership_id, item.organisation_id)],
            )
            for item in updates
        ]


class ProgressUrls:
    """Actions' progress addresses, one reverse() for each partnership: they differ only in the
    action's id."""

    def __init__(self):
        self.parts: dict[str, tuple[str, str]] = {}

    def __call__(self, action: PlanAction, slug: str = "") -> str:
        """``slug``: the action's partnership's, where its partnership is not loaded with it."""
        return self.for_id(action.pk, slug or action.partnership.slug)

    def for_id(self, action_id: int, slug: str) -> str:
        """The progress address of the action ``action_id`` of the partnership ``slug``."""
        if slug not in self.parts:
            head, _zero, tail = reverse(
                "plans:action_progress", kwargs={"partnership_slug": slug, "action_id": 0}
            ).rpartition("/0/")
            self.parts[slug] = (head, tail)
        head, tail = self.parts[slug]
        return f"{head}/{action_id}/{tail}"


def _shortened(text: str, length: int = 120) -> str:
    # Truncator's result, without its cost for the many texts that are short enough already.
    return text if len(text) <= length else Truncator(text).chars(length)


# Community safety grants: each quarter's spend return -------------------------------------------
#
# An accepted grant owes a return (amount spent, outcome) for each quarter of its period, due on
# the quarter's last day like the quarter's progress update; a quarter that has ended without one
# is late. An ended grant still owes the quarters up to the day it ended, and nothing after.


@dataclass(frozen=True)
class GrantStanding:
    """Where one grant's returns stand: what has been spent, and which quarters owe a return."""

    grant: CommunitySafetyGrant
    spent: Decimal
    returns: dict[str, GrantSpendReturn]  # by quarter code
    late: list[Quarter]
    due: Quarter | None  # the current quarter, while it has no return

    @property
    def owed(self) -> list[Quarter]:
        return [*self.late, *([self.due] if self.due else [])]


def grant_reportable_quarters(grant: CommunitySafetyGrant, *, today: date) -> list[Quarter]:
    """The grant's quarters that take a return by ``today``: started, and not after its end."""
    if grant.accepted_at is None:
        return []
    last_day = min(today, grant.ended_on) if grant.ended_on else today
    return [quarter for quarter in grant.quarters if quarter.starts_on <= last_day]


def grant_standing(grant: CommunitySafetyGrant, *, today: date | None = None) -> GrantStanding:
    """Needs ``grant.spend_returns`` loaded (``with_spend``)."""
    today = today or local_today()
    returns = {item.period.code: item for item in grant.spend_returns.all()}
    owed = [
        quarter
        for quarter in grant_reportable_quarters(grant, today=today)
        if quarter.code not in returns
    ]
    return GrantStanding(
        grant=grant,
        spent=sum((item.amount_spent for item in returns.values()), Decimal(0)),
        returns=returns,
        late=[quarter for quarter in owed if quarter.ends_on < today],
        due=next((quarter for quarter in owed if quarter.ends_on >= today), None),
    )


def with_spend(grants: QuerySet[CommunitySafetyGrant]) -> QuerySet[CommunitySafetyGrant]:
    returns = GrantSpendReturn.objects.order_by("year_start", "quarter")
    return grants.prefetch_related(Prefetch("spend_returns", queryset=returns))


@register
class GrantSpendCycle(Cycle):
    """Three queries while any accepted grant owes a return (the grants, their returns, the
    coordinators), one while none does."""

    kind = "grant_spend"
    label = _("Quarterly spend return on a community safety grant")
    owing_roles = SPEND_REPORTING_ROLES
    year_order = 41

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        grants = CommunitySafetyGrant.objects.filter(accepted_at__isnull=False).select_related(
            "partnership"
        )
        if partnership_ids is not None:
            grants = grants.filter(partnership_id__in=partnership_ids)
        standings = [grant_standing(grant, today=today) for grant in with_spend(grants)]
        standings = [standing for standing in standings if standing.owed]
        if not standings:
            return []
        people = _people(GrantPolicy.spend_reporters({s.grant.partnership_id for s in standings}))
        return [
            DueItem(
                kind=self.kind,
                key=f"grant_spend:{standing.grant.pk}:{quarter.code}",
                partnership_id=standing.grant.partnership_id,
                partnership_name=standing.grant.partnership.name,
                due_on=update_due_on(quarter),
                title=gettext("%(quarter)s spend return: %(grant)s")
                % {"quarter": quarter, "grant": Truncator(standing.grant.title).chars(120)},
                # The grant's page, which every member may read (the partnership's year lists
                # the item to all of them); its "Report spend" leads those who report on.
                url=reverse(
                    "plans:grant",
                    kwargs={
                        "partnership_slug": standing.grant.partnership.slug,
                        "safety_grant_id": standing.grant.pk,
                    },
                ),
                recipients=frozenset(people.get(standing.grant.partnership_id, ())),
            )
            for standing in standings
            for quarter in standing.owed
        ]


# Consultation and sign-off ----------------------------------------------------------------------
#
# Opening consultation on a version asks two things of the partnership, both until the version is
# approved or goes back to draft:
#
# - comments, by the consultation's closing date, from every member who may read it (those who
#   have commented are not chased again); closing it early ends it;
# - sign-off, from each seat the partnership's rule requires that has not signed yet, within
#   CSP_PLAN_SIGN_OFF_DAYS of the closing date. A seat's sign-off is due from the strategy
#   members of the organisation that holds it (``seat_of``: a member signs for one seat).


def consultation_closes_on(plan: PartnershipPlan) -> date:
    """The closing date, or for a version opened before dates were kept, a default from when."""
    if plan.consultation_closes_on:
        return plan.consultation_closes_on
    opened = timezone.localdate(plan.status_changed_at)
    return opened + timedelta(days=settings.CSP_PLAN_CONSULTATION_DAYS)


def plan_sign_off_due_on(plan: PartnershipPlan) -> date:
    return consultation_closes_on(plan) + timedelta(days=settings.CSP_PLAN_SIGN_OFF_DAYS)


def _in_consultation(partnership_ids: Collection[int] | None) -> QuerySet[PartnershipPlan]:
    plans = PartnershipPlan.objects.filter(status=PlanStatus.CONSULTATION).select_related(
        "partnership"
    )
    if partnership_ids is not None:
        plans = plans.filter(partnership_id__in=partnership_ids)
    return plans


def _plan_url(plan: PartnershipPlan, name: str = "plans:detail") -> str:
    return reverse(name, kwargs={"partnership_slug": plan.partnership.slug, "plan_id": plan.pk})


def seat_holders(partnership_ids: Collection[int]) -> dict[tuple[int, int], str]:
    """The seat each organisation signs for on each partnership, by (partnership, organisation):
    its first seat in statutory order, as ``seat_of`` answers it for one member (one query)."""
    order = {seat: index for index, seat in enumerate(Seat.values)}
    seats: dict[tuple[int, int], str] = {}
    for partnership_id, organisation_id, seat in PartnerOrganisation.objects.filter(
        partnership_id__in=partnership_ids
    ).values_list("partnership_id", "organisation_id", "seat"):
        key = (partnership_id, organisation_id)
        if key not in seats or order.get(seat, 99) < order.get(seats[key], 99):
            seats[key] = seat
    return seats


@dataclass(frozen=True)
class SeatWaiting:
    """A required seat that has not signed a version in consultation, and who is asked."""

    plan: PartnershipPlan
    seat: str
    people: tuple  # (user id, full name), by name

    @property
    def label(self) -> str:
        return Seat(self.seat).label


def seats_waiting(plans: Iterable[PartnershipPlan]) -> list[SeatWaiting]:
    """Every required seat that has not signed each of these versions in consultation, with the
    people asked to sign for it: four queries however many plans and people."""
    plans = [plan for plan in plans if plan.status == PlanStatus.CONSULTATION]
    if not plans:
        return []
    partnership_ids = {plan.partnership_id for plan in plans}
    required = required_seats_by_partnership(partnership_ids)
    signed = set(SignOff.objects.filter(plan__in=plans).values_list("plan_id", "seat"))
    holders = seat_holders(partnership_ids)
    people: dict[tuple[int, str], list[tuple[int, str]]] = defaultdict(list)
    for membership in PlanPolicy.signers(partnership_ids).select_related("user"):
        seat = holders.get((membership.partnership_id, membership.organisation_id))
        if seat:
            people[(membership.partnership_id, seat)].append(
                (membership.user_id, membership.user.full_name)
            )
    return [
        SeatWaiting(
            plan=plan,
            seat=seat,
            people=tuple(sorted(people[(plan.partnership_id, seat)], key=lambda p: p[1])),
        )
        for plan in plans
        for seat in Seat.values
        if seat in required[plan.partnership_id] and (plan.pk, seat) not in signed
    ]


def sign_off_items(plans: Iterable[PartnershipPlan]) -> list[DueItem]:
    return [
        DueItem(
            kind=PlanSignOffCycle.kind,
            key=f"plan_sign_off:{waiting.plan.pk}:{waiting.seat}",
            partnership_id=waiting.plan.partnership_id,
            partnership_name=waiting.plan.partnership.name,
            due_on=plan_sign_off_due_on(waiting.plan),
            title=gettext("Sign off the partnership plan %(period)s for the %(seat)s seat")
            % {"period": waiting.plan.period_label, "seat": waiting.label.lower()},
            url=_plan_url(waiting.plan),
            recipients=frozenset(user_id for user_id, _name in waiting.people),
        )
        for waiting in seats_waiting(plans)
    ]


@register
class PlanSignOffCycle(Cycle):
    kind = "plan_sign_off"
    label = _("Partnership plan to sign off")
    owing_roles = SIGNING_ROLES

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return sign_off_items(_in_consultation(partnership_ids))

    def workflow_lines(self, *, partnership_id: int, today: date) -> list[WorkflowLine]:
        plan = current_plan(partnership_id)
        return [WorkflowLine(plan_standing(plan, today=today), _plan_url(plan))] if plan else []


def current_plan(partnership_id: int) -> PartnershipPlan | None:
    """The version being worked on (a draft or one in consultation), else the newest issued one:
    where the partnership's plan stands (one query)."""
    versions = list(
        PartnershipPlan.objects.filter(partnership_id=partnership_id)
        .exclude(status=PlanStatus.SUPERSEDED)
        .select_related("partnership")
        .order_by("-period_start", "-version")
    )
    working = [plan for plan in versions if plan.is_editable]
    return (working or versions or [None])[0]


def plan_standing(plan: PartnershipPlan, *, today: date) -> str:
    """One line on the version: its status, its dates and, in consultation, the seats signed
    (two queries then, none otherwise)."""
    name = str(plan)
    if plan.status == PlanStatus.CONSULTATION:
        required = required_seats_by_partnership({plan.partnership_id})[plan.partnership_id]
        signed = SignOff.objects.filter(plan=plan, seat__in=required).count()
        words = {
            "plan": name,
            "date": date_format(consultation_closes_on(plan), "j F Y"),
            "signed": signed,
            "required": len(required),
        }
        if plan.takes_comments_on(today):
            return (
                gettext(
                    "%(plan)s: in consultation until %(date)s, %(signed)s of %(required)s "
                    "seats signed"
                )
                % words
            )
        return (
            gettext("%(plan)s: consultation closed, %(signed)s of %(required)s seats signed")
            % words
        )
    if plan.status == PlanStatus.DRAFT:
        return gettext("%(plan)s: draft, not yet open for consultation") % {"plan": name}
    if plan.status == PlanStatus.APPROVED:
        return gettext("%(plan)s: approved on %(date)s, not yet published") % {
            "plan": name,
            "date": date_format(timezone.localdate(plan.approved_at), "j F Y"),
        }
    return gettext("%(plan)s: published on %(date)s") % {
        "plan": name,
        "date": date_format(timezone.localdate(plan.published_at), "j F Y"),
    }


def consultation_items(plans: Iterable[PartnershipPlan], *, today: date) -> list[DueItem]:
    """Each version taking comments, due by its closing date from those who may comment and
    have not yet (two queries)."""
    plans = [plan for plan in plans if plan.takes_comments_on(today)]
    if not plans:
        return []
    people: dict[int, set[int]] = defaultdict(set)
    for partnership_id, user_id in PlanPolicy.commenters(
        {plan.partnership_id for plan in plans}
    ).values_list("partnership_id", "user_id"):
        people[partnership_id].add(user_id)
    commented = set(PlanComment.objects.filter(plan__in=plans).values_list("plan_id", "author_id"))
    return [
        DueItem(
            kind=PlanConsultationCycle.kind,
            key=f"plan_consultation:{plan.pk}",
            partnership_id=plan.partnership_id,
            partnership_name=plan.partnership.name,
            due_on=consultation_closes_on(plan),
            title=gettext("Comment on the partnership plan %(period)s")
            % {"period": plan.period_label},
            url=_plan_url(plan, "plans:comments"),
            recipients=frozenset(
                user_id
                for user_id in people[plan.partnership_id]
                if (plan.pk, user_id) not in commented
            ),
        )
        for plan in plans
    ]


@register
class PlanConsultationCycle(Cycle):
    kind = "plan_consultation"
    label = _("Partnership plan open for comments")
    owing_roles = COMMENTING_ROLES
    # An invitation, not a duty: a partner who does not comment has nothing overdue.
    owed_by_partnership = False

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return consultation_items(_in_consultation(partnership_ids), today=today)

    def workflow_lines(self, *, partnership_id: int, today: date) -> list[WorkflowLine]:
        plan = _in_consultation([partnership_id]).first()
        if plan is None:
            return []
        counts = comment_counts(PlanComment.objects.filter(plan=plan))
        text = gettext(
            "Consultation on the %(period)s plan: %(total)s comments, %(open)s awaiting a response"
        ) % {"period": plan.period_label, "total": counts["total"], "open": counts["open"]}
        return [WorkflowLine(text, _plan_url(plan, "plans:comments"))]


# Reports issued to scrutiny and the PCC -----------------------------------------------------------


def reports_new_since(today: date) -> date:
    """Reports issued on or after this day are still new on Your work."""
    return today - timedelta(days=settings.CSP_NEW_REPORT_DAYS)


@register
class IssuedReportCycle(Cycle):
    """A progress report newly issued: for the scrutiny committee and the PCC office to read, for
    ``CSP_NEW_REPORT_DAYS`` from its issue. Read, not done: never reminded."""

    kind = "progress_report_issued"
    label = _("Progress report issued to scrutiny")
    owing_roles = REPORT_READING_ROLES
    to_read = True
    owed_by_partnership = False
    year_order = 50

    def workflow_lines(self, *, partnership_id: int, today: date) -> list[WorkflowLine]:
        latest = (
            ProgressReport.objects.filter(partnership_id=partnership_id)
            .select_related("partnership")
            .order_by("-year_start", "-quarter")
            .first()
        )
        if latest is None:
            return []
        text = gettext("Latest progress report: %(report)s, issued on %(date)s") % {
            "report": latest.period,
            "date": date_format(timezone.localdate(latest.issued_at), "j F Y"),
        }
        url = reverse(
            "plans:progress_report",
            kwargs={"partnership_slug": latest.partnership.slug, "report_id": latest.pk},
        )
        return [WorkflowLine(text, url)]

    def due_to(self, *, user_id: int, today: date, partnership_ids: Collection[int]):
        return self.due_to_members(
            ProgressReportPolicy.readers(partnership_ids), user_id=user_id, today=today
        )

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        reports = ProgressReport.objects.filter(
            issued_at__date__gte=reports_new_since(today)
        ).select_related("partnership")
        if partnership_ids is not None:
            reports = reports.filter(partnership_id__in=partnership_ids)
        reports = list(
            reports.only(
                "pk",
                "year_start",
                "quarter",
                "issued_at",
                "partnership_id",
                "partnership__name",
                "partnership__slug",
            )
        )
        if not reports:
            return []
        readers = _people(
            ProgressReportPolicy.readers({report.partnership_id for report in reports})
        )
        # Each reader's own: a report they have opened is no longer new to them.
        opened = (
            set(
                ProgressReportRead.objects.filter(report__in=reports).values_list(
                    "report_id", "user_id"
                )
            )
            if reports
            else set()
        )
        return [
            DueItem(
                kind=self.kind,
                key=f"progress_report:{report.pk}",
                partnership_id=report.partnership_id,
                partnership_name=report.partnership.name,
                due_on=timezone.localdate(report.issued_at)
                + timedelta(days=settings.CSP_NEW_REPORT_DAYS),
                title=str(report),
                url=reverse(
                    "plans:progress_report",
                    kwargs={
                        "partnership_slug": report.partnership.slug,
                        "report_id": report.pk,
                    },
                ),
                recipients=frozenset(
                    user_id
                    for user_id in readers.get(report.partnership_id, ())
                    if (report.pk, user_id) not in opened
                ),
            )
            for report in reports
        ]
