"""Read paths for a review's exports (the executive summary and the action plan as PDFs), for a
review already resolved through ``selectors.review_for``."""

from django.db.models import Prefetch

from ..models import AgencyRequest, DomesticHomicideReview, Recommendation


def review_for_export(*, review: DomesticHomicideReview) -> DomesticHomicideReview:
    """The review with what its exports print, in a fixed number of queries."""
    return (
        DomesticHomicideReview.objects.filter(pk=review.pk)
        .select_related("partnership", "notified_by", "review_type")
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
