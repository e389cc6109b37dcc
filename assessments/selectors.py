"""Read paths for strategic assessments and contributions: scoped to the partnership and to what
the member may see. A record that is missing and one that is not theirs both raise Http404."""

from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q, QuerySet, prefetch_related_objects
from django.http import Http404
from django.utils import timezone

from accounts.models import User
from partnerships.consultation import comment_counts
from partnerships.models import Membership, PartnerOrganisation, Partnership

from .models import (
    AWAITING_ANSWER,
    AssessmentComment,
    AssessmentStatus,
    ContributionDocument,
    ContributionRequest,
    ContributionStatus,
    StrategicAssessment,
)
from .policies import AssessmentCommentPolicy, AssessmentPolicy, ContributionPolicy


def assessments_visible(*, membership: Membership) -> QuerySet[StrategicAssessment]:
    return AssessmentPolicy.visible(membership)


def assessment_list(*, membership: Membership) -> QuerySet[StrategicAssessment]:
    return assessments_visible(membership=membership).annotate(
        requests_total=Count("contribution_requests", distinct=True),
        requests_awaiting=Count(
            "contribution_requests",
            filter=Q(contribution_requests__status__in=AWAITING_ANSWER),
            distinct=True,
        ),
    )


def assessment_for(*, membership: Membership, assessment_id: int) -> StrategicAssessment:
    try:
        return assessments_visible(membership=membership).get(pk=assessment_id)
    except StrategicAssessment.DoesNotExist:
        raise Http404 from None


def assessment_page(*, membership: Membership, assessment_id: int) -> StrategicAssessment:
    """One assessment with everything its page and its PDF show, in a fixed number of queries."""
    requests = ContributionRequest.objects.select_related("organisation").order_by(
        "due_date", "organisation__name", "pk"
    )
    requests = ContributionPolicy.listed(membership, requests)
    queryset = assessments_visible(membership=membership).select_related(
        "partnership", "partnership__police_force_area", "previous_version"
    )
    queryset = queryset.prefetch_related(
        "sections",
        "priorities",
        Prefetch("contribution_requests", queryset=requests.prefetch_related("figures")),
    )
    try:
        return queryset.get(pk=assessment_id)
    except StrategicAssessment.DoesNotExist:
        raise Http404 from None


def assessment_header(*, membership: Membership, assessment_id: int) -> StrategicAssessment:
    """One assessment with what its page shows around the contents (status, versions, the
    contribution requests the member may see): the contents come from ``assessment_contents``,
    which an approved assessment's cached page does not need."""
    requests = ContributionRequest.objects.select_related("organisation").order_by(
        "due_date", "organisation__name", "pk"
    )
    queryset = assessments_visible(membership=membership).select_related(
        "partnership", "partnership__police_force_area", "previous_version"
    )
    queryset = queryset.prefetch_related(
        Prefetch("contribution_requests", queryset=ContributionPolicy.listed(membership, requests))
    )
    try:
        return queryset.get(pk=assessment_id)
    except StrategicAssessment.DoesNotExist:
        raise Http404 from None


def assessment_contents(assessment: StrategicAssessment) -> StrategicAssessment:
    """``assessment`` with its sections and recommended priorities (two queries)."""
    prefetch_related_objects([assessment], "sections", "priorities")
    return assessment


def section_for(*, assessment: StrategicAssessment, kind: str):
    try:
        return assessment.sections.get(kind=kind)
    except assessment.sections.model.DoesNotExist:
        raise Http404 from None


def priority_for(*, assessment: StrategicAssessment, priority_id: int):
    try:
        return assessment.priorities.get(pk=priority_id)
    except assessment.priorities.model.DoesNotExist:
        raise Http404 from None


def latest_approved(*, partnership: Partnership) -> StrategicAssessment | None:
    return (
        StrategicAssessment.objects.filter(
            partnership=partnership, status=AssessmentStatus.APPROVED
        )
        .order_by("-year_start", "-version")
        .first()
    )


def requestable_organisations(*, partnership: Partnership) -> QuerySet[PartnerOrganisation]:
    return PartnerOrganisation.objects.filter(partnership=partnership).select_related(
        "organisation"
    )


@dataclass(frozen=True)
class ContributionSummary:
    """Counts for "late and missing at a glance"."""

    total: int
    by_status: dict[str, int]
    late: int

    @property
    def awaiting(self) -> int:
        return sum(self.by_status.get(status, 0) for status in AWAITING_ANSWER)


def contribution_summary(requests: list[ContributionRequest]) -> ContributionSummary:
    """Computed from an already-fetched list, so the page spends no query on it."""
    today = timezone.localdate()
    return ContributionSummary(
        total=len(requests),
        by_status=dict(Counter(request.status for request in requests)),
        late=sum(
            1 for request in requests if request.is_awaiting_answer and request.due_date < today
        ),
    )


def _contribution_detail(queryset: QuerySet) -> QuerySet[ContributionRequest]:
    return queryset.select_related(
        "assessment", "partnership", "organisation", "submitted_by", "decided_by"
    ).prefetch_related(
        "figures",
        Prefetch("documents", queryset=ContributionDocument.objects.select_related("uploaded_by")),
    )


def contribution_for(*, membership: Membership, contribution_id: int) -> ContributionRequest:
    queryset = _contribution_detail(ContributionPolicy.visible(membership))
    try:
        return queryset.get(pk=contribution_id)
    except ContributionRequest.DoesNotExist:
        raise Http404 from None


def contribution_document_for(
    *, contribution: ContributionRequest, document_id: int
) -> ContributionDocument:
    try:
        return contribution.documents.get(pk=document_id)
    except ContributionDocument.DoesNotExist:
        raise Http404 from None


def my_requests(
    *, user: User, partnership_ids: Collection[int] | None = None
) -> QuerySet[ContributionRequest]:
    """Every request the user's organisations were asked, across every partnership they serve
    (only those in ``partnership_ids`` when given: an API token's)."""
    queryset = ContributionPolicy.answerable(user)
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return (
        queryset.exclude(status=ContributionStatus.WITHDRAWN)
        .select_related("partnership", "organisation", "assessment")
        .order_by("due_date", "partnership__name", "pk")
    )


def my_request_counts(requests: QuerySet[ContributionRequest]) -> dict[str, int]:
    """How many of ``my_requests`` wait for an answer, how many of those are late, and how many
    are finished: one query."""
    today = timezone.localdate()
    awaiting = Q(status__in=AWAITING_ANSWER)
    return requests.order_by().aggregate(
        open_count=Count("pk", filter=awaiting),
        late=Count("pk", filter=awaiting & Q(due_date__lt=today)),
        finished_count=Count("pk", filter=~awaiting),
    )


def can_answer(*, user: User, contribution: ContributionRequest) -> bool:
    return ContributionPolicy.can_answer(user, contribution)


def contribution_copy_sources(
    *, user: User, contribution: ContributionRequest
) -> QuerySet[ContributionRequest]:
    """Other requests to the same organisation that ``user`` answers (in any of their
    partnerships) and that have an answer or figures to copy: "copy my answer from …"."""
    return (
        ContributionPolicy.answerable(user)
        .filter(organisation_id=contribution.organisation_id)
        .exclude(pk=contribution.pk)
        .exclude(status=ContributionStatus.WITHDRAWN)
        .filter(Q(answer__gt="") | Q(figures__isnull=False))
        .distinct()
        .select_related("partnership", "assessment")
        .order_by("-updated_at", "pk")
    )


def contribution_copy_source_for(
    *, user: User, contribution: ContributionRequest, source_id: int
) -> ContributionRequest:
    """One of those, or Http404: a request the person may not answer is not found."""
    try:
        return contribution_copy_sources(user=user, contribution=contribution).get(pk=source_id)
    except ContributionRequest.DoesNotExist:
        raise Http404 from None


def assessment_comments(*, membership: Membership, assessment: StrategicAssessment):
    """The version's review comments, oldest first (names are copied onto each: no joins)."""
    return (
        AssessmentCommentPolicy.visible(membership)
        .filter(assessment=assessment)
        .order_by("created_at", "pk")
    )


def assessment_comment_for(
    *, membership: Membership, assessment: StrategicAssessment, comment_id: int
) -> AssessmentComment:
    try:
        return (
            assessment_comments(membership=membership, assessment=assessment)
            .select_related("partnership")
            .get(pk=comment_id)
        )
    except AssessmentComment.DoesNotExist:
        raise Http404 from None


def assessment_comment_counts(*, assessment: StrategicAssessment) -> dict:
    """How the version's review comments ended: the sign-off part of its document."""
    return comment_counts(AssessmentComment.objects.filter(assessment=assessment))
