"""Read paths for progress reports: the snapshot an issued report stores, built from the
coordinator's dashboard (``selectors.progress.progress_dashboard``) so that a report follows the
same rules; the reports a member may read; and one report with its change since the one before.

A report's figures are plain JSON: codes, numbers as strings, and the words (action descriptions,
organisation names, measure names) as they stood at issue, with a Welsh partnership's Welsh beside
them (``*_cy``). Labels of statuses, themes and courses are looked up when shown, and the words
are chosen then too, so a report reads in the visitor's language.
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import QuerySet
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentStatus, PriorityTheme
from assessments.selectors import assessments_visible
from partnerships.models import Membership, Partnership
from reviews.models import ReviewStatus
from reviews.selectors import review_counts

from .. import deadlines
from ..bilingual import WELSH, in_language
from ..models import ActionStatus, PartnershipPlan, PlanStatus, ProgressReport, Quarter
from ..policies import ProgressReportPolicy
from . import plans_visible
from .progress import Course, Dashboard

FIGURES_VERSION = 1


def _number(value) -> str | None:
    return None if value is None else f"{value.normalize():f}"


def snapshot(dashboard: Dashboard, quarter: Quarter) -> dict:
    """The figures of ``dashboard`` as a report for ``quarter`` keeps them, with the partnership's
    domestic homicide reviews counted by year and status (counts only, as scrutiny may know)."""
    plan = dashboard.plan
    reported = [
        row.action
        for _priority, rows in dashboard.actions
        for row in rows
        if any(update.period == quarter for update in row.action.progress_updates.all())
    ]
    return {
        "version": FIGURES_VERSION,
        "plan": {"period": plan.period_label, "version": plan.version, "status": plan.status},
        "statuses": list(ActionStatus.values),
        "priorities": [
            {"theme": row.priority.theme, "counts": row.counts, "total": row.total}
            for row in dashboard.by_priority
        ],
        "totals": {"counts": dashboard.totals.counts, "total": dashboard.totals.total},
        "measures": [
            {
                "id": row.measure.pk,
                "action": row.action.description,
                "action_cy": row.action.description_cy,
                "name": row.measure.name,
                "name_cy": row.measure.name_cy,
                "unit": row.measure.unit,
                "baseline": _number(row.measure.baseline),
                "target": _number(row.measure.target),
                "higher_is_better": row.measure.higher_is_better,
                "latest": _number(row.latest.value) if row.latest else None,
                "latest_period": row.latest.period.code if row.latest else None,
                "course": str(row.course),
            }
            for row in dashboard.measures
        ],
        "overdue_quarter": dashboard.last_quarter.code if dashboard.last_quarter else None,
        "overdue": [
            {
                "action": item.action.description,
                "action_cy": item.action.description_cy,
                "lead": item.action.lead_organisation.name,
                "quarter": item.quarter.code,
                "due_on": item.due_on.isoformat(),
            }
            for item in dashboard.overdue
        ],
        "past_due": [
            {
                "action": action.description,
                "action_cy": action.description_cy,
                "lead": action.lead_organisation.name,
                "due_on": action.due_date.isoformat(),
                "status": action.status,
            }
            for action in dashboard.past_due
        ],
        "reported_for_quarter": len(reported),
        "reviews": [
            {"year": row["year"], "status": row["status"], "count": row["count"]}
            for row in review_counts(partnership=plan.partnership)
        ],
        "actions_total": dashboard.actions_total,
    }


# Which reports a member reads ---------------------------------------------------------------


def progress_reports(*, membership: Membership) -> QuerySet[ProgressReport]:
    """The partnership's issued reports, latest first (one query)."""
    return ProgressReportPolicy.visible(membership).only(
        "id", "partnership_id", "plan_id", "year_start", "quarter", "as_at", "issued_at",
        "issued_by_name",
    )  # fmt: skip


def progress_report_for(*, membership: Membership, report_id: int) -> ProgressReport:
    """One report with the one before it and its plan, in one query."""
    try:
        return (
            ProgressReportPolicy.visible(membership)
            .select_related("partnership", "plan", "previous")
            .get(pk=report_id)
        )
    except ProgressReport.DoesNotExist:
        raise Http404 from None


def latest_report(*, partnership: Partnership) -> ProgressReport | None:
    return (
        ProgressReport.objects.filter(partnership=partnership)
        .order_by("-year_start", "-quarter")
        .first()
    )


def plan_in_force(*, partnership: Partnership) -> PartnershipPlan | None:
    """The version progress is reported on: the published plan, or a first plan approved and
    not yet published."""
    return (
        PartnershipPlan.objects.filter(partnership=partnership)
        .filter(deadlines.in_force_filter())
        .select_related("partnership", "previous_version")
        .order_by("-period_start", "-version")
        .first()
    )


def issuable_quarters(
    *, plan: PartnershipPlan, latest: ProgressReport | None, today: date | None = None
) -> list[Quarter]:
    """The quarters a report may be issued for now: begun, and after the last report's."""
    quarters = deadlines.reportable_quarters(plan=plan, today=today)
    return [q for q in quarters if latest is None or latest.period < q]


# One report and its trend -------------------------------------------------------------------


@dataclass(frozen=True)
class Change:
    """A number now and in the previous report (None when there is none, or it was not there)."""

    now: int
    then: int | None

    @property
    def delta(self) -> int | None:
        return None if self.then is None else self.now - self.then

    @property
    def words(self) -> str:
        if self.delta is None:
            return ""
        if self.delta > 0:
            return _("up %(n)s") % {"n": self.delta}
        if self.delta < 0:
            return _("down %(n)s") % {"n": -self.delta}
        return _("no change")


@dataclass(frozen=True)
class StatusRow:
    theme: str  # "" for the totals row
    title: str
    counts: list[Change]
    total: Change


@dataclass(frozen=True)
class MeasureTrend:
    action: str
    name: str
    unit: str
    baseline: str
    target: str
    higher_is_better: bool
    latest: str | None
    latest_period: str
    course: Course
    then: str | None
    then_period: str
    movement: str  # "better", "worse", "same", or "" when there is nothing to compare


@dataclass(frozen=True)
class ReportView:
    report: ProgressReport
    previous: ProgressReport | None
    statuses: list[tuple[str, str]]
    by_priority: list[StatusRow]
    totals: StatusRow
    measures: list[MeasureTrend]
    overdue_quarter: str
    overdue: list[dict]
    past_due: list[dict]
    overdue_count: Change
    past_due_count: Change
    reported_for_quarter: int
    actions_total: int
    review_counts: list[dict]
    # The coordinator's summary for the committee in the language read ("" when there is none).
    narrative: str = ""


def _period(code: str | None) -> str:
    return str(Quarter.from_code(code)) if code else ""


def _status_row(theme, title, now: dict, then: dict | None) -> StatusRow:
    before = then["counts"] if then else [None] * len(now["counts"])
    return StatusRow(
        theme=theme,
        title=title,
        counts=[Change(n, t) for n, t in zip(now["counts"], before, strict=True)],
        total=Change(now["total"], then["total"] if then else None),
    )


def _movement(now: dict, then: dict | None) -> str:
    if then is None or now["latest"] is None or then["latest"] is None:
        return ""
    change = Decimal(now["latest"]) - Decimal(then["latest"])
    if change == 0:
        return "same"
    return "better" if (change > 0) == now["higher_is_better"] else "worse"


def _words(row: dict, name: str) -> str:
    """The words in the active language: the Welsh kept at issue when Welsh is being read. (A
    Welsh partnership's plan in force has its Welsh: sign-off waits for it, plans.bilingual; a
    report issued before Welsh was kept has English only.)"""
    if translation.get_language() == WELSH and row.get(f"{name}_cy"):
        return row[f"{name}_cy"]
    return row[name]


def report_view(report: ProgressReport) -> ReportView:
    """The report as issued, each figure beside the previous report's. A measure is matched to
    its earlier self by id, or (after an annual refresh copied it) by its action and name."""
    figures = report.figures
    before = report.previous.figures if report.previous else None
    then_priorities = {row["theme"]: row for row in before["priorities"]} if before else {}
    then_measures_by_id = {row["id"]: row for row in before["measures"]} if before else {}
    then_measures_by_name = (
        {(row["action"], row["name"]): row for row in before["measures"]} if before else {}
    )
    measures = []
    for row in figures["measures"]:
        then = then_measures_by_id.get(row["id"]) or then_measures_by_name.get(
            (row["action"], row["name"])
        )
        measures.append(
            MeasureTrend(
                action=_words(row, "action"),
                name=_words(row, "name"),
                unit=row["unit"],
                baseline=row["baseline"],
                target=row["target"],
                higher_is_better=row["higher_is_better"],
                latest=row["latest"],
                latest_period=_period(row["latest_period"]),
                course=Course(row["course"]),
                then=then["latest"] if then else None,
                then_period=_period(then["latest_period"]) if then else "",
                movement=_movement(row, then),
            )
        )
    return ReportView(
        report=report,
        previous=report.previous,
        statuses=[(status, ActionStatus(status).label) for status in figures["statuses"]],
        by_priority=[
            _status_row(
                row["theme"],
                PriorityTheme(row["theme"]).label,
                row,
                then_priorities.get(row["theme"]) if before else None,
            )
            for row in figures["priorities"]
        ],
        totals=_status_row("", _("All priorities"), figures["totals"], before and before["totals"]),
        measures=measures,
        overdue_quarter=_period(figures["overdue_quarter"]),
        overdue=[
            {
                **item,
                "action": _words(item, "action"),
                "quarter": _period(item["quarter"]),
                "due_on": date.fromisoformat(item["due_on"]),
            }
            for item in figures["overdue"]
        ],
        past_due=[
            {
                **item,
                "action": _words(item, "action"),
                "due_on": date.fromisoformat(item["due_on"]),
                "status_label": ActionStatus(item["status"]).label,
            }
            for item in figures["past_due"]
        ],
        overdue_count=Change(len(figures["overdue"]), len(before["overdue"]) if before else None),
        past_due_count=Change(
            len(figures["past_due"]), len(before["past_due"]) if before else None
        ),
        reported_for_quarter=figures["reported_for_quarter"],
        review_counts=[
            {**row, "label": ReviewStatus(row["status"]).label} for row in figures["reviews"]
        ],
        actions_total=figures["actions_total"],
        narrative=in_language(report.narrative, report.narrative_cy, translation.get_language()),
    )


# What those who hold the partnership to account read ------------------------------------------


@dataclass(frozen=True)
class ReadersPage:
    assessments: list
    plans: list[PartnershipPlan]
    reports: list[ProgressReport]
    review_counts: list[dict]


def readers_page(*, membership: Membership) -> ReadersPage:
    """Everything scrutiny and the PCC office read, in four queries: approved assessments,
    approved and published plans, issued progress reports, and domestic homicide reviews counted
    by year and status (never anything about a review itself)."""
    return ReadersPage(
        assessments=list(
            assessments_visible(membership=membership)
            .filter(status=AssessmentStatus.APPROVED)
            .order_by("-year_start", "-version")
        ),
        plans=list(
            plans_visible(membership=membership).filter(
                status__in=[PlanStatus.APPROVED, PlanStatus.PUBLISHED]
            )
        ),
        reports=list(progress_reports(membership=membership)),
        review_counts=[
            {**row, "label": ReviewStatus(row["status"]).label}
            for row in review_counts(partnership=membership.partnership)
        ],
    )
