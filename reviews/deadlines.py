"""What falls due in statutory reviews, for the reminders: each running statutory clock of the
review's type (the decision, telling the Home Office, telling Welsh Government where the type's
process does, completion), due from the people with access to that
review and nobody else. A reminder names the review by its reference and pseudonym only, and a
clock on hold is not reminded."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.cycles import Cycle, DueItem, register

from .clocks import review_clocks
from .models import AccessGrant, DomesticHomicideReview, ReviewStatus
from .policies import ReviewPolicy


@register
class ReviewClockCycle(Cycle):
    kind = "dhr_clock"
    label = _("Domestic homicide review")
    need_to_know = True
    year_order = 80

    def due(
        self, *, today: date, partnership_ids: Collection[int] | None = None
    ) -> Iterable[DueItem]:
        return self._items(self._open_reviews(partnership_ids), today)

    def due_to(
        self, *, user_id: int, today: date, partnership_ids: Collection[int]
    ) -> Iterable[DueItem]:
        # A review's clocks are due from every holder of a working grant to it: only the
        # reviews this person holds one to, each with all its holders.
        held = ReviewPolicy.working_grants(
            AccessGrant.objects.filter(user_id=user_id, user__is_active=True)
        ).values("review_id")
        return self._items(self._open_reviews(partnership_ids).filter(pk__in=held), today)

    @staticmethod
    def _open_reviews(partnership_ids: Collection[int] | None):
        reviews = (
            DomesticHomicideReview.objects.exclude(status=ReviewStatus.CLOSED)
            .select_related("partnership", "review_type")
            .prefetch_related("holds")
        )
        if partnership_ids is not None:
            reviews = reviews.filter(partnership_id__in=partnership_ids)
        return reviews

    def _items(self, reviews, today: date) -> Iterable[DueItem]:
        reviews = list(reviews)
        # Grants of people still in the review's partnership, in a role that may hold access.
        holders: dict[int, set[int]] = defaultdict(set)
        for review_id, user_id in ReviewPolicy.working_grants(
            AccessGrant.objects.filter(review__in=reviews, user__is_active=True)
        ).values_list("review_id", "user_id"):
            holders[review_id].add(user_id)
        for review in reviews:
            for clock in review_clocks(review, today):
                if clock.done_on or clock.due_on is None or clock.paused:
                    continue
                yield DueItem(
                    kind=self.kind,
                    key=f"dhr:{review.pk}:{clock.key}",
                    partnership_id=review.partnership_id,
                    partnership_name=review.partnership.name,
                    due_on=clock.due_on,
                    title=gettext("%(review)s: %(clock)s")
                    % {"review": review, "clock": clock.label},
                    url=reverse(
                        "reviews:detail",
                        kwargs={
                            "partnership_slug": review.partnership.slug,
                            "review_id": review.pk,
                        },
                    ),
                    recipients=frozenset(holders[review.pk]),
                )
