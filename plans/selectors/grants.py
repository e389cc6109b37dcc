"""Read paths for community safety grants: a partnership's grants with their spend, one grant
(404 when it is not the member's partnership's), the plan in force they may fund, the grants
funding a plan (its resources section, page and PDF) and the totals of the force-area page."""

from collections import defaultdict
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Prefetch, QuerySet
from django.http import Http404

from authorities.models import LocalPolicingBody
from authorities.selectors import PolicingBodies
from partnerships.models import Membership

from .. import deadlines
from ..models import CommunitySafetyGrant, GrantStatus, Measure, PartnershipPlan, PlanAction
from ..policies import GrantPolicy

# What a grant row shows besides the grant itself: the actions and measures it funds.
_FUNDS = (
    Prefetch("actions", queryset=PlanAction.objects.select_related("priority").order_by("pk")),
    Prefetch("measures", queryset=Measure.objects.order_by("pk")),
)


def plan_in_force(partnership_id: int) -> PartnershipPlan | None:
    """The plan a grant funds the actions of: the partnership's plan in force (one query)."""
    return (
        PartnershipPlan.objects.filter(partnership_id=partnership_id)
        .filter(deadlines.in_force_filter())
        .select_related("partnership", "previous_version")
        .order_by("-period_start", "-version")
        .first()
    )


@dataclass(frozen=True)
class GrantRow:
    grant: CommunitySafetyGrant
    body: LocalPolicingBody  # the body that held the commissioner functions when it was offered
    standing: deadlines.GrantStanding

    @property
    def spent(self) -> Decimal:
        return self.standing.spent

    @property
    def remaining(self) -> Decimal:
        return self.grant.amount - self.standing.spent


def grant_rows(grants, today: date) -> list[GrantRow]:
    """Each grant with the body that offered it and its standing (one query for the bodies)."""
    grants = list(grants)
    if not grants:
        return []
    bodies = PolicingBodies({grant.partnership.police_force_area_id for grant in grants})
    return [
        GrantRow(
            grant=grant,
            body=bodies.on(grant.partnership.police_force_area_id, grant.offered_on),
            standing=deadlines.grant_standing(grant, today=today),
        )
        for grant in grants
    ]


def grants_visible(membership: Membership | None) -> QuerySet[CommunitySafetyGrant]:
    return deadlines.with_spend(
        GrantPolicy.visible(membership).select_related(
            "partnership", "plan", "offered_by", "recorded_by"
        )
    ).prefetch_related(*_FUNDS)


def grant_list(*, membership: Membership, today: date | None = None) -> list[GrantRow]:
    """The partnership's grants, newest first, each with its spend and late returns: five
    queries however many grants there are."""
    return grant_rows(grants_visible(membership), today or deadlines.local_today())


def grant_for(
    *, membership: Membership, safety_grant_id: int, today: date | None = None
) -> GrantRow:
    """One grant of the member's partnership, or Http404 (missing and not theirs alike)."""
    grants = grants_visible(membership).filter(pk=safety_grant_id)
    rows = grant_rows(grants, today or deadlines.local_today())
    if not rows:
        raise Http404
    return rows[0]


def grants_funding(plan: PartnershipPlan, *, today: date | None = None) -> list[GrantRow]:
    """The grants recorded against a plan version, for its resources section: every member who
    reads the plan reads them (``Perm.VIEW_GRANTS`` is everyone's)."""
    grants = deadlines.with_spend(
        CommunitySafetyGrant.objects.filter(plan=plan).select_related("partnership", "offered_by")
    ).prefetch_related(*_FUNDS)
    grants = grants.order_by("first_year", "offered_on", "pk")
    return grant_rows(grants, today or deadlines.local_today())


@dataclass(frozen=True)
class GrantTotals:
    """A partnership's grants as its force area's page shows them."""

    granted: Decimal = Decimal(0)  # accepted (and ended after acceptance)
    offered: Decimal = Decimal(0)  # offers not yet accepted
    spent: Decimal = Decimal(0)
    late_returns: int = 0


def grant_totals(
    partnership_ids: Collection[int], *, today: date | None = None
) -> dict[int, GrantTotals]:
    """Each partnership's grants in two queries, however many partnerships and grants."""
    today = today or deadlines.local_today()
    sums: dict[int, dict] = defaultdict(
        lambda: {"granted": Decimal(0), "offered": Decimal(0), "spent": Decimal(0), "late": 0}
    )
    grants = deadlines.with_spend(
        CommunitySafetyGrant.objects.filter(partnership_id__in=partnership_ids)
    )
    for grant in grants:
        row = sums[grant.partnership_id]
        standing = deadlines.grant_standing(grant, today=today)
        if grant.accepted_at is not None:
            row["granted"] += grant.amount
        elif grant.status == GrantStatus.OFFERED:
            row["offered"] += grant.amount
        row["spent"] += standing.spent
        row["late"] += len(standing.late)
    return {
        pid: GrantTotals(
            granted=row["granted"],
            offered=row["offered"],
            spent=row["spent"],
            late_returns=row["late"],
        )
        for pid, row in sums.items()
    }
