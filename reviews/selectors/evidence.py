"""Read paths for a review's agency evidence: the requests and their answers, the combined
chronology, and the documents attached to the review.

Every function takes a review the caller has already resolved through ``selectors.review_for``
(so the user holds a grant on it); a record of another review, or of another partnership, is
simply not found (404).
"""

from django.db.models import Count, Max, Min, Prefetch, QuerySet
from django.http import Http404

from ..models import AgencyRequest, ChronologyEntry, DomesticHomicideReview, ReviewDocument


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


def review_documents(*, review: DomesticHomicideReview) -> QuerySet[ReviewDocument]:
    return review.documents.select_related("request__organisation").order_by("uploaded_at", "pk")


def review_document_for(
    *, review: DomesticHomicideReview, review_document_id: int
) -> ReviewDocument:
    try:
        return review.documents.select_related("request").get(pk=review_document_id)
    except ReviewDocument.DoesNotExist:
        raise Http404 from None
