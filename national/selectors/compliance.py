"""Read paths of the national picture: compliance counts and dates for many partnerships at once,
and the public register. Every figure is aggregated in the database, one query per figure for
all the partnerships together, so a page costs the same at 1 partnership as at 314; nothing here
reads a document's text, a person or a review's details."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.db.models import Count, Max, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from assessments.models import AssessmentStatus, StrategicAssessment, financial_year_label
from authorities.models import PoliceForceArea
from infosharing.models import QuarterlyReturn, ReturnStatus
from oversight.models import ReportRequest, ReportRequestStatus
from partnerships.models import (
    PartnerOrganisation,
    Partnership,
    PartnershipStatus,
    Seat,
)
from plans import deadlines
from plans.models import PartnershipPlan, PlanStatus, ProgressReport, Quarter
from reviews.clocks import review_clocks
from reviews.models import DomesticHomicideReview, ReviewStatus

STATUTORY_SEATS = len(Seat.statutory())

# Why a partnership is late, each a short phrase for the page, the CSV and the open data.
LATE_ASSESSMENT = "assessment"
LATE_PLAN = "plan"
LATE_SUMMARY = "summary"
LATE_SEATS = "seats"
LATE_REVIEWS = "reviews"
LATE_REQUESTS = "requests"
LATE_RETURNS = "returns"
LATE_LABELS = {
    LATE_ASSESSMENT: _("no strategic assessment approved for this year"),
    LATE_PLAN: _("no plan in force, or its refresh is overdue"),
    LATE_SUMMARY: _("plan summary not published"),
    LATE_SEATS: _("statutory seats empty"),
    LATE_REVIEWS: _("domestic homicide reviews past their clocks"),
    LATE_REQUESTS: _("PCC report requests overdue"),
    LATE_RETURNS: _("quarterly returns of depersonalised information late"),
}


def _day(moment: datetime | None) -> date | None:
    return timezone.localdate(moment) if moment else None


@dataclass
class ComplianceRow:
    """One partnership's statutory duties as counts and dates: never a document's content."""

    partnership: Partnership
    assessment_approved_on: date | None = None
    plan_period: str = ""
    refresh_due_on: date | None = None
    summary_published_on: date | None = None
    last_report_issued_on: date | None = None
    seats_filled: int = 0
    reviews_by_status: dict[str, int] = field(default_factory=dict)
    reviews_past_clock: int = 0
    requests_open: int = 0
    requests_overdue: int = 0
    returns_due: int = 0
    returns_late: int = 0
    late_on: list[str] = field(default_factory=list)

    @property
    def reviews_open(self) -> int:
        return sum(
            count
            for status, count in self.reviews_by_status.items()
            if status != ReviewStatus.CLOSED
        )

    @property
    def late_labels(self) -> list[str]:
        return [str(LATE_LABELS[key]) for key in self.late_on]


def current_year(today: date) -> int:
    """The financial year ``today`` is in (2026 for 2026/27)."""
    return Quarter.containing(today).year_start


def compliance_rows(partnerships: QuerySet[Partnership], *, today: date) -> list[ComplianceRow]:
    """Each partnership of ``partnerships`` with its counts and dates, by name: twelve queries,
    however many partnerships there are."""
    partnerships = partnerships.filter(status=PartnershipStatus.ACTIVE)
    rows = {
        partnership.pk: ComplianceRow(partnership)
        for partnership in partnerships.select_related("police_force_area").order_by("name")
    }
    ids = partnerships.values("pk")
    year = current_year(today)

    for row in (
        StrategicAssessment.objects.filter(
            partnership__in=ids, status=AssessmentStatus.APPROVED, year_start=year
        )
        .values("partnership_id")
        .annotate(approved=Max("approved_at"))
    ):
        rows[row["partnership_id"]].assessment_approved_on = _day(row["approved"])
    for plan in (
        PartnershipPlan.objects.filter(partnership__in=ids)
        .filter(deadlines.in_force_filter())
        .values("partnership_id", "period_start")
    ):
        start = plan["period_start"]
        rows[
            plan["partnership_id"]
        ].plan_period = f"{financial_year_label(start)} to {financial_year_label(start + 2)}"
    for refresh in deadlines.refreshes_due(partnership_ids=ids):
        rows[refresh.plan.partnership_id].refresh_due_on = refresh.due_on
    for row in (
        PartnershipPlan.objects.filter(partnership__in=ids, status=PlanStatus.PUBLISHED)
        .values("partnership_id")
        .annotate(published=Max("published_at"))
    ):
        rows[row["partnership_id"]].summary_published_on = _day(row["published"])
    for row in (
        ProgressReport.objects.filter(partnership__in=ids)
        .values("partnership_id")
        .annotate(issued=Max("issued_at"))
    ):
        rows[row["partnership_id"]].last_report_issued_on = _day(row["issued"])
    for row in (
        PartnerOrganisation.objects.filter(partnership__in=ids, seat__in=Seat.statutory())
        .values("partnership_id")
        .annotate(seats=Count("seat", distinct=True))
    ):
        rows[row["partnership_id"]].seats_filled = row["seats"]
    for row in (
        DomesticHomicideReview.objects.filter(partnership__in=ids)
        .values("partnership_id", "status")
        .annotate(count=Count("pk"))
    ):
        rows[row["partnership_id"]].reviews_by_status[row["status"]] = row["count"]
    for partnership_id, past in _reviews_past_clock(ids, today).items():
        rows[partnership_id].reviews_past_clock = past
    for row in (
        ReportRequest.objects.filter(partnership__in=ids, status=ReportRequestStatus.REQUESTED)
        .values("partnership_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    ):
        rows[row["partnership_id"]].requests_open = row["open"]
        rows[row["partnership_id"]].requests_overdue = row["overdue"]
    for row in (
        QuarterlyReturn.objects.filter(partnership__in=ids, status=ReturnStatus.DUE)
        .values("partnership_id")
        .annotate(due=Count("pk"), late=Count("pk", filter=Q(due_date__lt=today)))
    ):
        rows[row["partnership_id"]].returns_due = row["due"]
        rows[row["partnership_id"]].returns_late = row["late"]

    for row in rows.values():
        row.late_on = _late_on(row, today)
    return list(rows.values())


def _reviews_past_clock(ids, today: date) -> dict[int, int]:
    """Open reviews with a running statutory clock past its day, per partnership (two queries:
    the clocks are reviews.clocks' rule, on the review's dates and its holds only)."""
    reviews = (
        DomesticHomicideReview.objects.filter(partnership__in=ids)
        .exclude(status=ReviewStatus.CLOSED)
        .only(
            "partnership_id",
            "status",
            "notified_on",
            "decided_on",
            "decision",
            "home_office_notified_on",
            "welsh_government_notified_on",
            "submitted_on",
            # The clocks' durations are the review type's.
            "review_type__decision_months",
            "review_type__home_office_notice_days",
            "review_type__completion_months",
            "review_type__welsh_government_notified",
        )
        .select_related("review_type")
        .prefetch_related(Prefetch("holds"))
    )
    past: dict[int, int] = defaultdict(int)
    for review in reviews:
        if any(clock.is_overdue for clock in review_clocks(review, today)):
            past[review.partnership_id] += 1
    return past


def _late_on(row: ComplianceRow, today: date) -> list[str]:
    late = []
    if row.assessment_approved_on is None:
        late.append(LATE_ASSESSMENT)
    if not row.plan_period or (row.refresh_due_on and row.refresh_due_on < today):
        late.append(LATE_PLAN)
    if row.plan_period and row.summary_published_on is None:
        late.append(LATE_SUMMARY)
    if row.seats_filled < STATUTORY_SEATS:
        late.append(LATE_SEATS)
    if row.reviews_past_clock:
        late.append(LATE_REVIEWS)
    if row.requests_overdue:
        late.append(LATE_REQUESTS)
    if row.returns_late:
        late.append(LATE_RETURNS)
    return late


# Sorting: each key a value that sorts with None last, whatever the direction.
SORT_KEYS = {
    "name": lambda row: row.partnership.name.lower(),
    "nation": lambda row: row.partnership.nation,
    "force_area": lambda row: row.partnership.police_force_area.name,
    "assessment": lambda row: row.assessment_approved_on,
    "refresh": lambda row: row.refresh_due_on,
    "summary": lambda row: row.summary_published_on,
    "report": lambda row: row.last_report_issued_on,
    "seats": lambda row: row.seats_filled,
    "reviews": lambda row: row.reviews_past_clock,
    "requests": lambda row: row.requests_overdue,
    "returns": lambda row: row.returns_late,
    "late": lambda row: len(row.late_on),
}


def sorted_rows(rows: Iterable[ComplianceRow], sort: str) -> list[ComplianceRow]:
    rows = list(rows)
    descending = sort.startswith("-")
    key = SORT_KEYS.get(sort.lstrip("-"), SORT_KEYS["name"])
    present = [row for row in rows if key(row) is not None]
    missing = [row for row in rows if key(row) is None]
    present.sort(key=lambda row: (key(row), row.partnership.name.lower()), reverse=descending)
    return present + missing


def force_areas_of(partnerships: QuerySet[Partnership]):
    """The police force areas of ``partnerships``, by name, for a filter."""
    return PoliceForceArea.objects.filter(
        pk__in=partnerships.values("police_force_area_id")
    ).order_by("name")


def filtered_compliance(
    partnerships: QuerySet[Partnership],
    *,
    nation: str = "",
    force_area: int | None = None,
    late: bool = False,
    sort: str = "name",
    today: date,
) -> list[ComplianceRow]:
    if nation:
        partnerships = partnerships.filter(nation=nation)
    if force_area:
        partnerships = partnerships.filter(police_force_area_id=force_area)
    rows = compliance_rows(partnerships, today=today)
    if late:
        rows = [row for row in rows if row.late_on]
    return sorted_rows(rows, sort)


# The compliance table's columns, each sortable by its key.
SORT_COLUMNS = [
    ("name", _("Partnership")),
    ("force_area", _("Police force area")),
    ("assessment", _("Assessment approved this year")),
    ("refresh", _("Plan in force, refresh due")),
    ("summary", _("Summary published")),
    ("report", _("Last progress report issued")),
    ("seats", _("Statutory seats filled")),
    ("reviews", _("DHRs (past their clocks)")),
    ("requests", _("PCC report requests open (overdue)")),
    ("returns", _("Quarterly returns due (late)")),
]
