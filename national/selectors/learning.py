"""National counts of what published domestic homicide reviews found, by year of death: one
query, however many reviews. Counts only; no review is ever listed."""

from django.db.models import Count, Q

from ..models import CHARACTERISTICS, ReviewLearning


def learning_counts() -> list[dict]:
    """One row a year, newest first: the year, the number of reviews, and how many of them found
    each characteristic (keyed by its field name)."""
    return list(
        ReviewLearning.objects.values("year_of_death")
        .annotate(
            reviews=Count("pk"),
            **{name: Count("pk", filter=Q(**{name: True})) for name in CHARACTERISTICS},
        )
        .order_by("-year_of_death")
    )


def learning_of(review) -> ReviewLearning | None:
    return ReviewLearning.objects.filter(review=review).first()
