"""Read paths for a review's agency evidence, action plan, documents and exports.

Every function takes a review the caller has already resolved through
``selectors.review_for`` (so the user holds a grant on it); a record of another review, or of
another partnership, is simply not found (404).
"""

from django.db.models import Count, Max, Min, Prefetch, QuerySet
from django.http import Http404

from authorities.models import Organisation
from partnerships.models import Partnership

from .models import (
    AgencyRequest,
    ChronologyEntry,
    DomesticHomicideReview,
    Recommendation,
    ReviewDocument,
)


def partnership_organisations(*, partnership: Partnership) -> QuerySet[Organisation]:
    """The organisations that sit on the partnership: the only ones a review may ask or task."""
    return Organisation.objects.filter(partner_seats__partnership=partnership).order_by("name")


def agency_request_for(*, review: DomesticHomicideReview, request_id: int) -> AgencyRequest:
    try:
        return (
            review.agency_requests.select_related("organisation", "review__partnership")
            .prefetch_related(
                "entries",
                Prefetch("documents", queryset=ReviewDocument.objects.order_by("uploaded_at")),
            )
            .get(pk=request_id)
        )
    except AgencyRequest.DoesNotExist:
        raise Http404 from None


def combined_chronology(*, review: DomesticHomicideReview) -> QuerySet[ChronologyEntry]:
    """Every agency's entries in one list, in date order (agency, then entry, on the same day)."""
    return (
        ChronologyEntry.objects.filter(request__review=review)
        .select_related("request__organisation")
        .order_by("occurred_on", "request__organisation__name", "pk")
    )


def chronology_summary(*, review: DomesticHomicideReview) -> list[dict]:
    """For each agency: how many entries, and the dates of the first and the last."""
    return list(
        ChronologyEntry.objects.filter(request__review=review)
        .values("request__organisation__name")
        .annotate(count=Count("pk"), first=Min("occurred_on"), last=Max("occurred_on"))
        .order_by("request__organisation__name")
    )


def recommendation_for(*, review: DomesticHomicideReview, recommendation_id: int) -> Recommendation:
    try:
        return review.recommendations.select_related("owner").get(pk=recommendation_id)
    except Recommendation.DoesNotExist:
        raise Http404 from None


def review_documents(*, review: DomesticHomicideReview) -> QuerySet[ReviewDocument]:
    return review.documents.select_related("request__organisation").order_by("uploaded_at", "pk")


def review_document_for(
    *, review: DomesticHomicideReview, review_document_id: int
) -> ReviewDocument:
    try:
        return review.documents.select_related("request").get(pk=review_document_id)
    except ReviewDocument.DoesNotExist:
        raise Http404 from None


def review_for_export(*, review: DomesticHomicideReview) -> DomesticHomicideReview:
    """The review with what its exports print, in a fixed number of queries."""
    return (
        DomesticHomicideReview.objects.filter(pk=review.pk)
        .select_related("partnership", "notified_by")
        .prefetch_related(
            Prefetch(
                "agency_requests",
                queryset=AgencyRequest.objects.select_related("organisation").order_by(
                    "organisation__name", "kind"
                ),
            ),
            Prefetch(
                "recommendations",
                queryset=Recommendation.objects.select_related("owner").order_by("position", "pk"),
            ),
        )
        .get()
    )
