"""Read paths for partnership plans, scoped to the partnership and to what the member may see.
A record that is missing and one that is not theirs both raise Http404.

Progress (my actions, the dashboard) is in ``selectors.progress``; documents in
``selectors.documents``.
"""

from collections.abc import Collection

from django.db.models import Prefetch, QuerySet, prefetch_related_objects
from django.http import Http404

from partnerships.models import Membership, Partnership

from ..models import (
    Measure,
    PartnershipPlan,
    PlanAction,
    PlanPriority,
    PlanStatus,
    PoliceAndCrimePlanPriority,
)
from ..policies import PlanPolicy


def plans_visible(*, membership: Membership) -> QuerySet[PartnershipPlan]:
    return PlanPolicy.visible(membership)


def plan_list(*, membership: Membership) -> QuerySet[PartnershipPlan]:
    return plans_visible(membership=membership).select_related("assessment")


def plan_for(*, membership: Membership, plan_id: int) -> PartnershipPlan:
    try:
        return plans_visible(membership=membership).select_related("partnership").get(pk=plan_id)
    except PartnershipPlan.DoesNotExist:
        raise Http404 from None


def actions_with_detail(queryset: QuerySet[PlanAction]) -> QuerySet[PlanAction]:
    """Actions with what their rows show: lead, supporters, measures and their actuals."""
    return queryset.select_related("lead_organisation", "priority").prefetch_related(
        "supporting_organisations",
        Prefetch("measures", queryset=Measure.objects.prefetch_related("actuals")),
    )


def plan_detail(*, membership: Membership, plan_id: int) -> PartnershipPlan:
    """One plan with everything its page and its documents show, in a fixed number of queries."""
    priorities = PlanPriority.objects.prefetch_related(
        "pcc_priorities",
        Prefetch("actions", queryset=actions_with_detail(PlanAction.objects.all())),
    )
    queryset = _plan_page_queryset(membership).prefetch_related(
        "sections", Prefetch("priorities", queryset=priorities), "sign_offs"
    )
    try:
        return queryset.get(pk=plan_id)
    except PartnershipPlan.DoesNotExist:
        raise Http404 from None


def _plan_page_queryset(membership: Membership) -> QuerySet[PartnershipPlan]:
    return plans_visible(membership=membership).select_related(
        "partnership", "partnership__police_force_area", "assessment", "previous_version"
    )


def plan_page(*, membership: Membership, plan_id: int) -> PartnershipPlan:
    """One plan with what its page shows around the contents (status, versions, sign-offs): the
    contents come from ``plan_contents``, which a frozen version's cached page does not need."""
    try:
        return _plan_page_queryset(membership).prefetch_related("sign_offs").get(pk=plan_id)
    except PartnershipPlan.DoesNotExist:
        raise Http404 from None


def plan_heading(*, membership: Membership, plan_id: int) -> PartnershipPlan:
    """One plan with what its page needs before its body, which is kept for a frozen version:
    its title, whether it is frozen and what its kept body is keyed by (one small query)."""
    try:
        return (
            plans_visible(membership=membership)
            .select_related("partnership")
            .only(
                "partnership__ons_code",
                "period_start",
                "status",
                "content_revision",
                "approved_at",
            )
            .get(pk=plan_id)
        )
    except PartnershipPlan.DoesNotExist:
        raise Http404 from None


def plan_contents(plan: PartnershipPlan) -> PartnershipPlan:
    """``plan`` with the contents its page shows (sections, priorities, their actions with lead,
    supporters and measures): five queries whatever the size of the plan."""
    actions = PlanAction.objects.select_related("lead_organisation").prefetch_related(
        "supporting_organisations", "measures"
    )
    priorities = PlanPriority.objects.prefetch_related(
        "pcc_priorities", Prefetch("actions", queryset=actions)
    )
    prefetch_related_objects([plan], "sections", Prefetch("priorities", queryset=priorities))
    return plan


def priorities_for_evidence(plan: PartnershipPlan) -> list[PlanPriority]:
    """The plan's priorities with what ``plan_evidence`` reads (one query)."""
    return list(plan.priorities.only("id", "plan_id", "recommended_id"))


def action_statuses(plan: PartnershipPlan) -> dict[int, str]:
    """Each action's status by id (one query): progress updates change it on a plan in force,
    so a cached plan page reads it on every request."""
    return dict(plan.actions.values_list("pk", "status"))


def published_plans(*, partnership_ids: Collection[int] | None = None) -> QuerySet[PartnershipPlan]:
    """Published plans only (never a draft, a consultation version or a superseded one), with
    everything the public summary and the API show, in a fixed number of queries."""
    queryset = PartnershipPlan.objects.filter(status=PlanStatus.PUBLISHED)
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return (
        queryset.select_related("partnership")
        .prefetch_related(
            "sections",
            Prefetch(
                "priorities",
                queryset=PlanPriority.objects.prefetch_related(
                    "pcc_priorities",
                    Prefetch("actions", queryset=actions_with_detail(PlanAction.objects.all())),
                ),
            ),
            "sign_offs",
        )
        .order_by("partnership__name", "-version")
    )


def published_plan_list(
    *, partnership_ids: Collection[int] | None = None
) -> QuerySet[PartnershipPlan]:
    """Published plans for a list that shows the plan's own fields and its partnership's name
    only: none of the contents ``published_plans`` loads (issue 17: 443 ms to 6 ms for an analyst
    in 32 partnerships, the same bytes)."""
    queryset = PartnershipPlan.objects.filter(status=PlanStatus.PUBLISHED)
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return (
        queryset.select_related("partnership")
        .only(
            "period_start",
            "version",
            "approved_at",
            "published_at",
            "partnership__slug",
            "partnership__name",
        )
        .order_by("partnership__name", "-version")
    )


def published_plan(*, partnership: Partnership) -> PartnershipPlan | None:
    """The partnership's published plan, for the public summary: nothing else is ever public."""
    return published_plans(partnership_ids=[partnership.pk]).first()


def published_plan_head(*, partnership: Partnership) -> PartnershipPlan | None:
    """The partnership's published plan without its contents: the public summary page reads its
    own fields, and its contents only to render the cached body again (``published_plan``)."""
    return (
        PartnershipPlan.objects.filter(partnership=partnership, status=PlanStatus.PUBLISHED)
        .select_related("partnership")
        .order_by("-version")
        .first()
    )


def published_plan_for(*, membership: Membership, plan_id: int) -> PartnershipPlan:
    try:
        return published_plans(partnership_ids=[membership.partnership_id]).get(pk=plan_id)
    except (PartnershipPlan.DoesNotExist, ValueError):
        raise Http404 from None


def pcc_priorities_for(*, partnership: Partnership) -> QuerySet[PoliceAndCrimePlanPriority]:
    return PoliceAndCrimePlanPriority.objects.filter(
        police_force_area_id=partnership.police_force_area_id
    )


def section_for(*, plan: PartnershipPlan, kind: str):
    try:
        return plan.sections.select_related("updated_by").get(kind=kind)
    except plan.sections.model.DoesNotExist:
        raise Http404 from None


def priority_for(*, plan: PartnershipPlan, priority_id: int) -> PlanPriority:
    try:
        return plan.priorities.select_related("updated_by").get(pk=priority_id)
    except PlanPriority.DoesNotExist:
        raise Http404 from None


def action_for(*, plan: PartnershipPlan, action_id: int) -> PlanAction:
    try:
        return plan.actions.select_related("priority", "lead_organisation").get(pk=action_id)
    except PlanAction.DoesNotExist:
        raise Http404 from None


def measure_for(*, plan: PartnershipPlan, measure_id: int) -> Measure:
    try:
        return Measure.objects.select_related("action").get(pk=measure_id, action__plan=plan)
    except Measure.DoesNotExist:
        raise Http404 from None


def approved_assessments(*, partnership: Partnership):
    from assessments.models import AssessmentStatus, StrategicAssessment

    return StrategicAssessment.objects.filter(
        partnership=partnership, status=AssessmentStatus.APPROVED
    ).order_by("-year_start", "-version")


def versions_of(*, membership: Membership) -> list[PartnershipPlan]:
    return list(plans_visible(membership=membership).order_by("version"))
