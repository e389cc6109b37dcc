"""Read paths for PCC oversight. A PCC office sees the partnerships where it holds a PCC-office
membership and nothing else; a record that is missing and one that is not theirs both raise
Http404. The force-area page reads only issued plans and approved assessments, in a fixed number
of queries however many partnerships the force area has."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Prefetch, Q, QuerySet, Value
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from assessments.models import AssessmentStatus, PriorityTheme, StrategicAssessment
from authorities.models import LocalPolicingBody, PoliceForceArea
from authorities.selectors import PolicingBodies, local_policing_body_on
from partnerships.models import Membership, Partnership
from plans import deadlines
from plans.models import (
    ActionStatus,
    PartnershipPlan,
    PlanAction,
    PlanPriority,
    PoliceAndCrimePlanPriority,
)
from plans.selectors.grants import GrantTotals, grant_totals

from .models import (
    CombinationApproval,
    ReportDocument,
    ReportRequest,
    ReportRequestEntry,
    ReportRequestStatus,
)
from .policies import (
    CombinationPolicy,
    PccPriorityPolicy,
    ReportRequestPolicy,
    force_area_memberships,
)

# The force-area page ---------------------------------------------------------------------------


def pcc_memberships(*, user: User) -> QuerySet[Membership]:
    """The user's PCC-office memberships: the partnerships the force-area page shows."""
    return (
        force_area_memberships(user)
        .select_related("partnership__police_force_area", "organisation")
        .order_by("partnership__police_force_area__name", "partnership__name")
    )


@dataclass(frozen=True)
class ForceAreaScope:
    """What the force-area page is worked out from, read in one query: the partnerships where the
    user holds a PCC-office membership, their force areas and the offices the user serves them
    for. The body is kept (``changes.stamped_body``) under the partnerships' stamps and the
    rest of ``key``; it shows nothing else about the viewer."""

    partnership_ids: tuple[int, ...]
    key: tuple[str, ...]


def force_area_scope(*, user: User) -> ForceAreaScope:
    rows = set(
        force_area_memberships(user).values_list(
            "partnership_id", "partnership__police_force_area_id", "organisation_id"
        )
    )
    return ForceAreaScope(
        partnership_ids=tuple(sorted({partnership for partnership, _area, _office in rows})),
        key=(
            "areas=" + ",".join(sorted({str(area) for _p, area, _o in rows})),
            "offices=" + ",".join(sorted({str(office) for _p, _a, office in rows})),
        ),
    )


@dataclass(frozen=True)
class PartnershipCycle:
    """Where one partnership is in its cycle, and its progress, as a PCC office may see it."""

    partnership: Partnership
    assessment: StrategicAssessment | None  # the latest approved one
    plan: PartnershipPlan | None  # the plan in force
    refresh: deadlines.RefreshDue | None
    status_counts: list[tuple[str, str, int]]  # (status, label, actions)
    actions_total: int
    overdue_updates: int
    past_due_actions: int
    open_report_requests: int
    overdue_report_requests: int
    grants: GrantTotals


@dataclass(frozen=True)
class AlignmentRow:
    pcc_priority: PoliceAndCrimePlanPriority
    cells: list[list[str]]  # one per partnership, in the page's order: its priorities' themes


@dataclass(frozen=True)
class ForceAreaOverview:
    force_area: PoliceForceArea
    body: LocalPolicingBody  # the body holding the area's commissioner functions today
    partnerships: list[PartnershipCycle]
    rows: list[AlignmentRow]
    unmapped: list[list[str]]  # the themes of CSP priorities serving none, one per partnership

    @property
    def any_unmapped(self) -> bool:
        return any(self.unmapped)


def _latest_approved_assessments(partnership_ids) -> dict[int, StrategicAssessment]:
    """Each partnership's latest approved assessment, with only the columns the page shows."""
    return {
        assessment.partnership_id: assessment
        for assessment in StrategicAssessment.objects.filter(
            partnership_id__in=partnership_ids, status=AssessmentStatus.APPROVED
        )
        .order_by("partnership_id", "-year_start", "-version")
        .distinct("partnership_id")
        .only("partnership_id", "year_start", "approved_at")
    }


def _plans_in_force(partnership_ids) -> dict[int, PartnershipPlan]:
    """Each partnership's plan in force (the latest, where a published version and an approved
    refresh both are), with only the columns the page shows."""
    plans = (
        PartnershipPlan.objects.filter(partnership_id__in=partnership_ids)
        .filter(deadlines.in_force_filter())
        .order_by("partnership_id", "-period_start", "-version")
        .distinct("partnership_id")
        .only("partnership_id", "period_start", "version", "status")
    )
    return {plan.partnership_id: plan for plan in plans}


def _priorities_served(plan_ids) -> dict[int, list[tuple[str, list[int]]]]:
    """Each plan's priorities in their order: the theme and the police and crime plan priorities
    it serves, as plain values (two queries; issue 17: a priority's row is mostly its rationale,
    evidence and objectives in two languages, and a prefetched many-to-many builds a manager for
    each priority)."""
    rows = list(
        PlanPriority.objects.filter(plan_id__in=plan_ids)
        .order_by("position", "pk")
        .values_list("pk", "plan_id", "theme")
    )
    served: dict[int, list[int]] = defaultdict(list)
    for priority_id, pcc_priority_id in PlanPriority.pcc_priorities.through.objects.filter(
        planpriority_id__in=[pk for pk, _plan, _theme in rows]
    ).values_list("planpriority_id", "policeandcrimeplanpriority_id"):
        served[priority_id].append(pcc_priority_id)
    by_plan: dict[int, list[tuple[str, list[int]]]] = defaultdict(list)
    for priority_id, plan_id, theme in rows:
        by_plan[plan_id].append((theme, served.get(priority_id, [])))
    return by_plan


@dataclass(frozen=True)
class ActionTally:
    by_status: dict[str, int]
    total: int
    overdue_updates: int
    past_due: int


def _action_tallies(plans: list[PartnershipPlan], today: date) -> dict[int, ActionTally]:
    """Each plan's actions counted in the database, by status, with the updates overdue for
    the plan's last completed quarter and the actions past their due date (the rules of
    ``deadlines.overdue_updates`` and ``deadlines.past_due_actions`` as filters): one query for
    each distinct last completed quarter, usually one, however many actions there are."""
    by_quarter: dict[object, list[int]] = defaultdict(list)
    for plan in plans:
        by_quarter[deadlines.last_completed_quarter(plan=plan, today=today)].append(plan.pk)
    open_actions = ~Q(status=ActionStatus.COMPLETE)
    tallies = {}
    for quarter, plan_ids in by_quarter.items():
        if quarter is None:
            overdue = Value(0)
        else:
            overdue = Count("pk", filter=deadlines.overdue_update_filter(quarter))
        rows = (
            PlanAction.objects.filter(plan_id__in=plan_ids)
            .order_by()  # not by priority: that joins every priority for nothing
            .values("plan_id")
            .annotate(
                total=Count("pk"),
                overdue=overdue,
                past_due=Count("pk", filter=open_actions & Q(due_date__lt=today)),
                **{
                    f"status_{status}": Count("pk", filter=Q(status=status))
                    for status in ActionStatus.values
                },
            )
        )
        for row in rows:
            tallies[row["plan_id"]] = ActionTally(
                by_status={status: row[f"status_{status}"] for status in ActionStatus.values},
                total=row["total"],
                overdue_updates=row["overdue"],
                past_due=row["past_due"],
            )
    return tallies


def _report_request_counts(partnership_ids, today: date) -> dict[int, tuple[int, int]]:
    rows = (
        ReportRequest.objects.filter(
            partnership_id__in=partnership_ids, status=ReportRequestStatus.REQUESTED
        )
        .values("partnership_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=today)))
    )
    return {row["partnership_id"]: (row["open"], row["overdue"]) for row in rows}


def force_area_overview(*, user: User, today: date | None = None) -> list[ForceAreaOverview]:
    """Every partnership the PCC office serves, grouped by police force area: its cycle, its
    progress, and its plan's priorities against the police and crime plan's, under the title of
    the body holding the area's commissioner functions today, and the body's community safety grants
    to each (granted, spent, late returns). Eleven queries, whatever the number of partnerships
    and grants."""
    today = today or deadlines.local_today()
    memberships = list(pcc_memberships(user=user))
    partnerships = [membership.partnership for membership in memberships]
    ids = [partnership.pk for partnership in partnerships]
    if not ids:
        return []
    assessments = _latest_approved_assessments(ids)
    plans = _plans_in_force(ids)
    tallies = _action_tallies(list(plans.values()), today)
    alignment = _priorities_served([plan.pk for plan in plans.values()])
    refreshes = {
        item.plan.partnership_id: item for item in deadlines.refreshes_due(partnership_ids=ids)
    }
    requests = _report_request_counts(ids, today)
    grants = grant_totals(ids, today=today)
    pcc_priorities: dict[int, list[PoliceAndCrimePlanPriority]] = defaultdict(list)
    for priority in PoliceAndCrimePlanPriority.objects.filter(
        police_force_area_id__in={p.police_force_area_id for p in partnerships}
    ):
        pcc_priorities[priority.police_force_area_id].append(priority)

    by_area: dict[int, list[Partnership]] = defaultdict(list)
    for partnership in partnerships:
        by_area[partnership.police_force_area_id].append(partnership)
    bodies = PolicingBodies(by_area)

    # Each label translated once a page, not once a cell (issue 17: 32 partnerships' cells cost
    # 2,000 translations).
    themes = {value: str(label) for value, label in PriorityTheme.choices}
    statuses = [(status, str(label)) for status, label in ActionStatus.choices]
    overviews = []
    for area_partnerships in by_area.values():
        force_area = area_partnerships[0].police_force_area
        cycles = [
            _cycle(partnership, assessments, plans, tallies, refreshes, requests, grants, statuses)
            for partnership in area_partnerships
        ]
        mapped_by: list[dict[int, list[str]]] = []
        unmapped: list[list[str]] = []
        for cycle in cycles:
            mapping: dict[int, list[str]] = defaultdict(list)
            none = []
            for theme, served in alignment.get(cycle.plan.pk, []) if cycle.plan else ():
                for pcc_priority_id in served:
                    mapping[pcc_priority_id].append(themes.get(theme, theme))
                if not served:
                    none.append(themes.get(theme, theme))
            mapped_by.append(mapping)
            unmapped.append(none)
        rows = [
            AlignmentRow(pcc_priority=pcc, cells=[mapping.get(pcc.pk, []) for mapping in mapped_by])
            for pcc in pcc_priorities[force_area.pk]
            # A retired priority stays on the page while a plan in force still serves it.
            if pcc.retired_at is None or any(pcc.pk in mapping for mapping in mapped_by)
        ]
        overviews.append(
            ForceAreaOverview(
                force_area=force_area,
                body=bodies.on(force_area.pk, today),
                partnerships=cycles,
                rows=rows,
                unmapped=unmapped,
            )
        )
    return overviews


def _cycle(
    partnership, assessments, plans, tallies, refreshes, requests, grants, statuses
) -> PartnershipCycle:
    plan = plans.get(partnership.pk)
    tally = tallies.get(plan.pk) if plan else None
    open_requests, overdue_requests = requests.get(partnership.pk, (0, 0))
    return PartnershipCycle(
        partnership=partnership,
        assessment=assessments.get(partnership.pk),
        plan=plan,
        refresh=refreshes.get(partnership.pk),
        status_counts=[
            (status, label, tally.by_status[status] if tally else 0) for status, label in statuses
        ],
        actions_total=tally.total if tally else 0,
        overdue_updates=tally.overdue_updates if tally else 0,
        past_due_actions=tally.past_due if tally else 0,
        open_report_requests=open_requests,
        overdue_report_requests=overdue_requests,
        grants=grants.get(partnership.pk, GrantTotals()),
    )


# Police and crime plan priorities --------------------------------------------------------------


def pcc_priorities_of(*, membership: Membership) -> QuerySet[PoliceAndCrimePlanPriority]:
    """The police and crime plan priorities of the membership's force area, retired ones too."""
    return PccPriorityPolicy.visible(membership).order_by("position", "pk")


def pcc_priority_for(*, membership: Membership, pcc_priority_id: int) -> PoliceAndCrimePlanPriority:
    try:
        return pcc_priorities_of(membership=membership).get(pk=pcc_priority_id)
    except PoliceAndCrimePlanPriority.DoesNotExist:
        raise Http404 from None


# Report requests -------------------------------------------------------------------------------


def report_request_list(*, membership: Membership) -> list[ReportRequest]:
    """The partnership's requests, each with ``requested_by_body``: the body that held the
    force area's commissioner functions on the day it was made."""
    requests = list(
        ReportRequestPolicy.visible(membership).select_related(
            "requesting_organisation", "requested_by"
        )
    )
    area_id = membership.partnership.police_force_area_id
    bodies = PolicingBodies([area_id])
    for request in requests:
        request.requested_by_body = bodies.on(area_id, timezone.localdate(request.created_at))
    return requests


def report_request_for(*, membership: Membership, report_request_id: int) -> ReportRequest:
    """One request with its whole history and the documents of each answer."""
    entries = ReportRequestEntry.objects.select_related("author").prefetch_related("documents")
    try:
        found = (
            ReportRequestPolicy.visible(membership)
            .select_related("partnership", "requesting_organisation", "requested_by")
            .prefetch_related(Prefetch("entries", queryset=entries))
            .get(pk=report_request_id)
        )
    except ReportRequest.DoesNotExist:
        raise Http404 from None
    found.requested_by_body = local_policing_body_on(
        police_force_area_id=found.partnership.police_force_area_id,
        day=timezone.localdate(found.created_at),
    )
    return found


def report_document_for(
    *, report_request: ReportRequest, report_document_id: int
) -> ReportDocument:
    try:
        return ReportDocument.objects.get(
            pk=report_document_id, entry__report_request=report_request
        )
    except ReportDocument.DoesNotExist:
        raise Http404 from None


# Combinations ----------------------------------------------------------------------------------


def combination_candidates(*, membership: Membership) -> QuerySet[Partnership]:
    """The partnerships a PCC office may include in a combination from this membership: active
    ones of the same force area where the same person holds a PCC-office membership."""
    return CombinationPolicy.candidates(membership).order_by("name")


def combination_approvals_of(*, membership: Membership) -> list[CombinationApproval]:
    """The approvals of the force area, each with ``approved_by_body``: the body that held the
    area's commissioner functions on the day of approval."""
    approvals = list(
        CombinationPolicy.visible(membership)
        .select_related("recorded_by", "approving_organisation")
        .prefetch_related("partnerships")
    )
    bodies = PolicingBodies({approval.police_force_area_id for approval in approvals})
    for approval in approvals:
        approval.approved_by_body = bodies.on(approval.police_force_area_id, approval.approved_on)
    return approvals


def local_policing_body_today(*, membership: Membership) -> LocalPolicingBody:
    """The body the membership's PCC office works for now."""
    return local_policing_body_on(
        police_force_area_id=membership.partnership.police_force_area_id,
        day=deadlines.local_today(),
    )


def combination_approved(*, partnership: Partnership, into: Partnership) -> bool:
    """Whether a PCC approval covers combining these two partnerships."""
    return (
        CombinationApproval.objects.filter(partnerships=partnership)
        .filter(partnerships=into)
        .exists()
    )
