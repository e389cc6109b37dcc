"""Reads of ASB case reviews: scoped to the partnership, and to the cases the member was
granted (casereviews.policies); what everyone else sees are counts computed in the database."""

from django.db.models import (
    Case,
    Count,
    Prefetch,
    Q,
    QuerySet,
    When,
)
from django.db.models.functions import ExtractMonth, ExtractYear
from django.http import Http404

from authorities.models import Organisation
from partnerships.models import Membership, Partnership

from .models import (
    CaseAccessGrant,
    CaseReadLog,
    CaseRecommendation,
    CaseReview,
    CaseStatus,
    ReviewProcedure,
)
from .policies import CasePolicy


def procedure_of(*, partnership: Partnership) -> ReviewProcedure | None:
    return ReviewProcedure.objects.filter(partnership=partnership).first()


def published_procedure(*, slug: str) -> ReviewProcedure | None:
    """A partnership's published procedure, for its public pages (None: none is published, or
    no such partnership; both answer the same 404)."""
    return (
        ReviewProcedure.objects.select_related("partnership")
        .filter(partnership__slug=slug, published_at__isnull=False)
        .first()
    )


def cases_granted(*, membership: Membership) -> QuerySet[CaseReview]:
    """The cases this member was granted, newest first: the list shows reference, status and
    dates (no personal data), with how many recommendations are open."""
    open_recommendations = Count("recommendations", filter=Q(recommendations__completed_on=None))
    return (
        CasePolicy.visible(membership)
        .annotate(open_recommendations=open_recommendations)
        .order_by("-received_at", "-pk")
    )


def case_for(*, membership: Membership, case_id: int) -> CaseReview:
    """The case, if this member was granted it: 404 otherwise, as for one that does not exist."""
    case = (
        CasePolicy.visible(membership)
        .select_related("partnership__case_review_procedure")
        .filter(pk=case_id)
        .first()
    )
    if case is None:
        raise Http404
    return case


def case_detail(*, case: CaseReview) -> CaseReview:
    """The case with everything its page shows, in a fixed number of queries."""
    return (
        CaseReview.objects.filter(pk=case.pk)
        .select_related("partnership__case_review_procedure")
        .prefetch_related(
            "responses__organisation",
            "recommendations__owner",
            "letters",
            Prefetch("access_grants", queryset=CaseAccessGrant.objects.select_related("user")),
        )
        .get()
    )


def recommendation_of(*, case: CaseReview, recommendation_id: int) -> CaseRecommendation:
    row = case.recommendations.filter(pk=recommendation_id).first()
    if row is None:
        raise Http404
    row.case = case
    return row


def grant_of(*, case: CaseReview, grant_id: int) -> CaseAccessGrant:
    grant = case.access_grants.select_related("user").filter(pk=grant_id).first()
    if grant is None:
        raise Http404
    grant.case = case
    return grant


def status_counts(*, partnership: Partnership) -> list[dict]:
    """How many of the partnership's cases are at each step: what every member sees, naming
    nobody (one query)."""
    counted = dict(
        CaseReview.objects.filter(partnership=partnership)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    return [
        {"status": status, "label": status.label, "count": counted.get(status, 0)}
        for status in CaseStatus
    ]


def yearly_figures(*, partnership: Partnership) -> list[dict]:
    """What s104(10) has each relevant body publish, for each financial year (1 April) in which
    applications were received, newest first, in one query: applications, times the threshold
    was met and not met, reviews carried out, and reviews that made recommendations."""
    year = ExtractYear("received_at")
    reviewed = Q(concluded_at__isnull=False)

    def cases(condition: Q | None = None):
        # Distinct: the join to the recommendations repeats a case once per recommendation.
        return Count("pk", filter=condition, distinct=True)

    return list(
        CaseReview.objects.filter(partnership=partnership)
        .annotate(month=ExtractMonth("received_at"))
        .annotate(year_start=Case(When(month__lt=4, then=year - 1), default=year))
        .values("year_start")
        .annotate(
            applications=cases(),
            met=cases(Q(threshold_met=True)),
            not_met=cases(Q(threshold_met=False)),
            reviews=cases(reviewed),
            with_recommendations=cases(reviewed & Q(recommendations__isnull=False)),
        )
        .order_by("-year_start")
    )


def case_organisations(*, partnership: Partnership) -> QuerySet[Organisation]:
    """The organisations that sit on the partnership: the only ones a case may hear from or
    task."""
    return Organisation.objects.filter(partner_seats__partnership=partnership).order_by("name")


def members_to_grant(*, case: CaseReview) -> QuerySet[Membership]:
    """Members who may be given the case and have not been yet."""
    return (
        CasePolicy.holding_members(case.partnership)
        .exclude(user__case_review_grants__case=case)
        .select_related("user", "organisation")
        .order_by("user__full_name", "user__email")
    )


def case_reads(*, case: CaseReview, limit: int = 50) -> list[CaseReadLog]:
    """The latest reads of the case's personal data, for those who decide who has access."""
    return list(case.read_log.all()[:limit])
