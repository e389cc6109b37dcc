"""Read paths for a review's action plan, for a review already resolved through
``selectors.review_for``: a line of another review is not found (404)."""

from django.http import Http404

from ..models import DomesticHomicideReview, Recommendation


def recommendation_for(*, review: DomesticHomicideReview, recommendation_id: int) -> Recommendation:
    try:
        return review.recommendations.select_related("owner").get(pk=recommendation_id)
    except Recommendation.DoesNotExist:
        raise Http404 from None
