"""Read paths for progress on the plan: a person's own actions across partnerships, one action's
progress page, and the coordinator's dashboard. Each runs a fixed number of queries however many
actions there are. A record that is missing and one that is not theirs both raise Http404."""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from enum import StrEnum

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.template.defaultfilters import floatformat
from django.utils.formats import date_format
from django.utils.text import Truncator
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from assessments.models import PriorityTheme
from authorities.models import Organisation
from partnerships.models import Membership

from .. import deadlines
from ..models import (
    ISSUED_PLAN_STATUSES,
    ActionStatus,
    Measure,
    MeasureActual,
    PartnershipPlan,
    PlanAction,
    PlanPriority,
    ProgressUpdate,
    Quarter,
)
from ..policies import ActionPolicy, ActionVerb
from ..templatetags.plan_tags import plan_tag_class
from . import plans_visible

# My actions ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class MyAction:
    action: PlanAction
    state: deadlines.ReportingState


MY_ACTION_ORDERS = {
    "partnership": ("partnership__name", "priority__position", "position", "pk"),
    "due": ("due_date", "partnership__name", "pk"),
}


def my_actions_queryset(
    *, user: User, order: str = "partnership", partnership_ids: Collection[int] | None = None
) -> QuerySet[PlanAction]:
    """The actions the user's organisations lead in the plans in force of every partnership they
    serve (only those in ``partnership_ids`` when given: an API token's), with what
    ``reporting_state`` reads."""
    actions = ActionPolicy.reportable(user).filter(deadlines.in_force_filter("plan__"))
    if partnership_ids is not None:
        actions = actions.filter(partnership_id__in=partnership_ids)
    actions = deadlines.with_reporting(actions).select_related("partnership", "priority")
    return actions.order_by(*MY_ACTION_ORDERS.get(order, MY_ACTION_ORDERS["partnership"]))


# What Your actions' rows print (``my_action_lines``, ``reporting_state``): the page loads these
# alone, not every text of each action, plan, partnership and priority.
MY_ACTION_FIELDS = (
    "description",
    "plan_id",
    "partnership_id",
    "priority_id",
    "lead_organisation_id",
    "start_date",
    "due_date",
    "status",
    "position",
    "plan__period_start",
    "partnership__name",
    "partnership__slug",
    "priority__theme",
    "priority__position",
)


def my_action_rows(actions: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """``my_actions_queryset`` as Your actions prints it: only ``MY_ACTION_FIELDS``, and the lead
    organisations' names in a query of their own. Joined in, they made one more table in the
    list's join search, which PostgreSQL plans afresh on every request (issue 17)."""
    return (
        actions.select_related(None)
        .select_related("plan", "partnership", "priority")
        .prefetch_related(Prefetch("lead_organisation", queryset=Organisation.objects.only("name")))
        .only(*MY_ACTION_FIELDS)
    )


def my_action_counts(actions: QuerySet[PlanAction], *, today: date | None = None) -> dict[str, int]:
    """How many of ``my_actions_queryset`` are open, how many complete, and how many ``overdue``
    (no update for their plan's last completed quarter): two queries, the first by plan period,
    which the second needs."""
    complete = Q(status=ActionStatus.COMPLETE)
    lean = actions.order_by().prefetch_related(None).select_related(None)
    by_period = list(
        lean.values_list("plan__period_start").annotate(
            open=Count("pk", filter=~complete), finished=Count("pk", filter=complete)
        )
    )
    return {
        "open_count": sum(row[1] for row in by_period),
        "finished_count": sum(row[2] for row in by_period),
        "overdue": deadlines.overdue_update_count(
            lean, today=today, periods=[row[0] for row in by_period]
        ),
    }


def with_states(actions, *, today: date | None = None) -> list[MyAction]:
    today = today or deadlines.local_today()
    return [
        MyAction(action=action, state=deadlines.reporting_state(action, today=today))
        for action in actions
    ]


def my_actions(*, user: User, order: str = "partnership", today: date | None = None):
    """Every action the user's organisations lead in the plans in force of every partnership they
    serve, with where each stands for this quarter. Three queries, whatever the numbers."""
    return with_states(my_actions_queryset(user=user, order=order), today=today)


# One action's progress -------------------------------------------------------------------------


def _actions_with_history(queryset: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    return queryset.select_related(
        "plan", "plan__previous_version", "partnership", "priority", "lead_organisation"
    ).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.prefetch_related("actuals")),
        Prefetch(
            "progress_updates", queryset=ProgressUpdate.objects.select_related("submitted_by")
        ),
    )


def action_for_progress(*, membership: Membership, action_id: int) -> PlanAction:
    """An action of an issued plan of this partnership, for those who may see its progress: people
    whose role views progress, and those who may report on it. Drafts have no progress."""
    queryset = _actions_with_history(
        PlanAction.objects.filter(
            partnership_id=membership.partnership_id, plan__status__in=ISSUED_PLAN_STATUSES
        )
    )
    try:
        action = queryset.get(pk=action_id)
    except PlanAction.DoesNotExist:
        raise Http404 from None
    if not ActionPolicy.can(membership, ActionVerb.VIEW_PROGRESS, action):
        raise Http404
    return action


@dataclass(frozen=True)
class MeasureHistory:
    measure: Measure
    actuals: list[MeasureActual]


def measure_histories(action: PlanAction) -> list[MeasureHistory]:
    return [
        MeasureHistory(measure=measure, actuals=list(measure.actuals.all()))
        for measure in action.measures.all()
    ]


def update_for(action: PlanAction, quarter: Quarter) -> ProgressUpdate | None:
    """The action's update for the quarter, from what ``action_for_progress`` loaded."""
    return next(
        (u for u in action.progress_updates.all() if u.period == quarter),
        None,
    )


def actuals_for(action: PlanAction, quarter: Quarter) -> dict[int, Decimal]:
    return {
        measure.pk: actual.value
        for measure in action.measures.all()
        for actual in measure.actuals.all()
        if actual.period == quarter
    }


# The coordinator's dashboard ------------------------------------------------------------------


class Course(StrEnum):
    MET = "met"
    ON_COURSE = "on_course"
    OFF_COURSE = "off_course"
    NO_FIGURES = "no_figures"

    @property
    def label(self):
        return {
            Course.MET: _("Target met"),
            Course.ON_COURSE: _("On course"),
            Course.OFF_COURSE: _("Not on course"),
            Course.NO_FIGURES: _("No figures yet"),
        }[self]


def _at_least_as_good(value: Decimal, than: Decimal, *, higher_is_better: bool) -> bool:
    return value >= than if higher_is_better else value <= than


def expected_by(measure: Measure, action: PlanAction, quarter: Quarter) -> Decimal:
    """Where a steady path from the baseline (at the action's start) to the target (at its due
    date) stands at the end of the quarter."""
    span = (action.due_date - action.start_date).days
    elapsed = (quarter.ends_on - action.start_date).days
    share = Decimal(1) if span <= 0 else min(max(Decimal(elapsed) / Decimal(span), 0), 1)
    return measure.baseline + (measure.target - measure.baseline) * share


def measure_course(measure: Measure, action: PlanAction, latest: MeasureActual | None) -> Course:
    """Target met; on course (at least as good as the steady path to the target); or not."""
    if latest is None:
        return Course.NO_FIGURES
    better = measure.higher_is_better
    if _at_least_as_good(latest.value, measure.target, higher_is_better=better):
        return Course.MET
    expected = expected_by(measure, action, latest.period)
    if _at_least_as_good(latest.value, expected, higher_is_better=better):
        return Course.ON_COURSE
    return Course.OFF_COURSE


@dataclass(frozen=True)
class StatusCounts:
    priority: PlanPriority | None  # None for the totals row
    counts: list[int]  # in ActionStatus order
    total: int


@dataclass(frozen=True)
class MeasureRow:
    action: PlanAction
    measure: Measure
    latest: MeasureActual | None
    course: Course


@dataclass(frozen=True)
class Dashboard:
    plan: PartnershipPlan
    in_force: bool
    today: date
    quarter: Quarter | None
    last_quarter: Quarter | None
    statuses: list[tuple[str, str]]
    by_priority: list[StatusCounts]
    totals: StatusCounts
    actions: list[tuple[PlanPriority, list[MyAction]]]
    measures: list[MeasureRow]
    overdue: list[deadlines.DueUpdate]
    past_due: list[PlanAction]
    reported_this_quarter: int
    actions_total: int


def _counts(priority, actions) -> StatusCounts:
    tally = Counter(action.status for action in actions)
    counts = [tally.get(status, 0) for status in ActionStatus.values]
    return StatusCounts(priority=priority, counts=counts, total=sum(counts))


def dashboard_plan(*, membership: Membership, plan_id: int) -> PartnershipPlan:
    """The issued plan whose dashboard is asked for, as far as this member may see (else
    Http404), with what the page around the dashboard's kept body shows: one small query."""
    try:
        return (
            plans_visible(membership=membership)
            .filter(status__in=ISSUED_PLAN_STATUSES)
            .only("partnership_id", "period_start", "status")
            .get(pk=plan_id)
        )
    except PartnershipPlan.DoesNotExist:
        raise Http404 from None


def progress_dashboard(
    *, membership: Membership, plan_id: int, today: date | None = None
) -> Dashboard:
    """Progress on one issued plan: actions by status for each priority, measures against target,
    and what is overdue. Six queries whatever the size of the plan."""
    today = today or deadlines.local_today()
    actions = deadlines.with_reporting(PlanAction.objects.all()).prefetch_related(
        Prefetch("measures", queryset=Measure.objects.prefetch_related("actuals"))
    )
    priorities = PlanPriority.objects.prefetch_related(Prefetch("actions", queryset=actions))
    try:
        plan = (
            plans_visible(membership=membership)
            .filter(status__in=ISSUED_PLAN_STATUSES)
            .select_related("partnership", "previous_version")
            .prefetch_related(Prefetch("priorities", queryset=priorities))
            .get(pk=plan_id)
        )
    except PartnershipPlan.DoesNotExist:
        raise Http404 from None

    ordered = [(priority, list(priority.actions.all())) for priority in plan.priorities.all()]
    every_action = [action for _priority, group in ordered for action in group]
    quarter = deadlines.reporting_quarter(plan=plan, today=today)
    measures = []
    for action in every_action:
        for measure in action.measures.all():
            actuals = list(measure.actuals.all())
            latest = actuals[-1] if actuals else None
            measures.append(
                MeasureRow(
                    action=action,
                    measure=measure,
                    latest=latest,
                    course=measure_course(measure, action, latest),
                )
            )
    reported = {
        action.pk
        for action in every_action
        for update in action.progress_updates.all()
        if quarter is not None and update.period == quarter
    }
    return Dashboard(
        plan=plan,
        in_force=deadlines.is_in_force(plan),
        today=today,
        quarter=quarter,
        last_quarter=deadlines.last_completed_quarter(plan=plan, today=today),
        statuses=list(ActionStatus.choices),
        by_priority=[_counts(priority, group) for priority, group in ordered],
        totals=_counts(None, every_action),
        actions=[
            (
                priority,
                [
                    MyAction(action=action, state=deadlines.reporting_state(action, today=today))
                    for action in group
                ],
            )
            for priority, group in ordered
        ],
        measures=measures,
        overdue=deadlines.overdue_updates(plan=plan, today=today, actions=every_action),
        past_due=deadlines.past_due_actions(plan=plan, today=today, actions=every_action),
        reported_this_quarter=len(reported),
        actions_total=len(every_action),
    )


# The dashboard's tables, worked out once ---------------------------------------------------------
#
# Issue 17: rendering the dashboard's rows in the template cost about 2,000 variable lookups and
# 1,600 translations for a 40-action plan (a label per row, the same few words each time). Each
# row's words, links and labels are worked out here instead, each label translated once a page;
# the template prints them.


@dataclass
class ActionLine:
    """One action as a dashboard table shows it. ``state_html`` is the "This quarter's update"
    cell, which the view renders once for each different ``state_key``."""

    action: PlanAction
    url: str
    title: str
    lead: str
    due: str
    status_label: str
    tag_class: str
    state: deadlines.ReportingState | None = None
    state_html: str = ""
    # Your actions only: the columns the dashboard, which is one plan's, has no need of.
    partnership_name: str = ""
    priority_label: str = ""

    @property
    def state_key(self) -> tuple:
        """What the reporting-state cell reads: rows alike in it read alike."""
        state = self.state
        if state is None:
            return ()
        return (
            state.quarter,
            state.submitted,
            (state.overdue.quarter, state.overdue.due_on) if state.overdue else None,
            (state.due.quarter, state.due.due_on) if state.due else None,
            self.action.status == ActionStatus.COMPLETE,
            self.action.start_date,
        )


@dataclass(frozen=True)
class MeasureLine:
    pk: int
    name: str
    action_url: str
    action_title: str
    direction: str
    baseline: str
    target: str
    latest: str
    latest_period: str
    course_label: str
    course_class: str


@dataclass(frozen=True)
class DashboardLines:
    actions: list[tuple[str, str, list[ActionLine]]]  # (theme, its label, rows) per priority
    measures: list[MeasureLine]
    overdue: list[ActionLine]
    past_due: list[ActionLine]


COURSE_CLASSES = {
    Course.MET: "govuk-tag--green",
    Course.ON_COURSE: "govuk-tag--blue",
    Course.OFF_COURSE: "govuk-tag--red",
    Course.NO_FIGURES: "govuk-tag--grey",
}


def _measure_name(measure: Measure) -> str:
    return f"{measure.name} ({measure.unit})" if measure.unit else measure.name


class _Lines:
    """Makes ``ActionLine``s: one reverse() for each partnership (every action's progress address
    differs only in its id) and each label translated once, not once a row."""

    def __init__(self):
        self.status_labels = {value: str(label) for value, label in ActionStatus.choices}
        self.theme_labels = {value: str(label) for value, label in PriorityTheme.choices}
        self.url = deadlines.ProgressUrls()

    def line(self, action: PlanAction, *, due: date, state=None, slug: str = "") -> ActionLine:
        return ActionLine(
            action=action,
            url=self.url(action, slug),
            title=Truncator(action.description).chars(120),
            lead=action.lead_organisation.name,
            due=date_format(due, "j M Y"),
            status_label=self.status_labels.get(action.status, action.status),
            tag_class=plan_tag_class(action.status),
            state=state,
        )


def my_action_lines(rows: list[MyAction]) -> list[ActionLine]:
    """Your actions' rows, ready to print (no queries): each from any partnership, with its
    partnership's name and its priority."""
    lines = _Lines()
    made = []
    for row in rows:
        action = row.action
        made.append(lines.line(action, due=action.due_date, state=row.state))
        made[-1].partnership_name = action.partnership.name
        made[-1].priority_label = lines.theme_labels.get(
            action.priority.theme, action.priority.theme
        )
    return made


def dashboard_lines(dashboard: Dashboard, *, partnership_slug: str) -> DashboardLines:
    """The rows of ``dashboard``'s tables, ready to print (no queries)."""
    lines = _Lines()
    course_labels = {course: str(course.label) for course in Course}
    directions = {True: gettext("Higher is better"), False: gettext("Lower is better")}

    def url(action: PlanAction) -> str:
        return lines.url(action, partnership_slug)

    def line(action: PlanAction, *, due: date, state=None) -> ActionLine:
        return lines.line(action, due=due, state=state, slug=partnership_slug)

    def number(value) -> str:
        return floatformat(value, "-2g")

    measures = [
        MeasureLine(
            pk=row.measure.pk,
            name=_measure_name(row.measure),
            action_url=url(row.action),
            action_title=Truncator(row.action.description).chars(80),
            direction=directions[row.measure.higher_is_better],
            baseline=number(row.measure.baseline),
            target=number(row.measure.target),
            latest=number(row.latest.value) if row.latest else "",
            latest_period=str(row.latest.period) if row.latest else "",
            course_label=course_labels[row.course],
            course_class=COURSE_CLASSES[row.course],
        )
        for row in dashboard.measures
    ]
    return DashboardLines(
        actions=[
            (
                priority.theme,
                priority.get_theme_display(),
                [line(row.action, due=row.action.due_date, state=row.state) for row in rows],
            )
            for priority, rows in dashboard.actions
        ],
        measures=measures,
        overdue=[line(item.action, due=item.due_on) for item in dashboard.overdue],
        past_due=[line(action, due=action.due_date) for action in dashboard.past_due],
    )
