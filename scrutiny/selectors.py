"""Reads of the committee's work: scoped to the member's partnership by each record's policy, so
another partnership's record is not found (404)."""

from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404

from partnerships.models import Membership

from .models import (
    CallForAction,
    CommitteeReport,
    InformationRequest,
    Recommendation,
    RecommendationStatus,
    ScrutinyMeeting,
)
from .policies import (
    CallForActionPolicy,
    CommitteeReportPolicy,
    InformationRequestPolicy,
    RecommendationPolicy,
    ScrutinyMeetingPolicy,
)


def _one(queryset: QuerySet, pk: int):
    try:
        return queryset.get(pk=pk)
    except queryset.model.DoesNotExist:
        raise Http404 from None


def information_requests_of(*, membership: Membership) -> QuerySet[InformationRequest]:
    return InformationRequestPolicy.visible(membership).defer("question", "answer")


def information_requests_in_full_of(*, membership: Membership) -> QuerySet[InformationRequest]:
    """The requests with what was asked and the (depersonalised) answer, for the API."""
    return InformationRequestPolicy.visible(membership).order_by("-created_at", "-pk")


def recommendations_of(*, membership: Membership) -> QuerySet[Recommendation]:
    """The committee's recommendations with their report and the response, for the API."""
    return (
        RecommendationPolicy.visible(membership)
        .select_related("report")
        .order_by("-report__made_on", "report_id", "number")
    )


def committee_reports_of(*, membership: Membership) -> QuerySet[CommitteeReport]:
    """With each report's count of recommendations and of those still awaiting a response."""
    return (
        CommitteeReportPolicy.visible(membership)
        .defer("summary")
        .annotate(
            recommendation_count=Count("recommendations"),
            pending_count=Count(
                "recommendations", filter=Q(recommendations__status=RecommendationStatus.PENDING)
            ),
        )
    )


def calls_for_action_of(*, membership: Membership) -> QuerySet[CallForAction]:
    return CallForActionPolicy.visible(membership).defer("details", "outcome_details")


def meetings_of(*, membership: Membership) -> QuerySet[ScrutinyMeeting]:
    return ScrutinyMeetingPolicy.visible(membership).defer("asked", "answered")


def information_request_for(*, membership: Membership, pk: int) -> InformationRequest:
    return _one(InformationRequestPolicy.visible(membership).select_related("partnership"), pk)


def committee_report_for(*, membership: Membership, pk: int) -> CommitteeReport:
    """One report with its recommendations in order."""
    return _one(
        CommitteeReportPolicy.visible(membership)
        .select_related("partnership")
        .prefetch_related(
            Prefetch("recommendations", queryset=Recommendation.objects.order_by("number"))
        ),
        pk,
    )


def recommendation_for(
    *, membership: Membership, report: CommitteeReport, pk: int
) -> Recommendation:
    return _one(
        RecommendationPolicy.visible(membership).filter(report=report).select_related("report"),
        pk,
    )


def call_for_action_for(*, membership: Membership, pk: int) -> CallForAction:
    return _one(CallForActionPolicy.visible(membership).select_related("partnership"), pk)


def meeting_for(*, membership: Membership, pk: int) -> ScrutinyMeeting:
    return _one(ScrutinyMeetingPolicy.visible(membership), pk)
