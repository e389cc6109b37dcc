"""What falls due in statutory reviews, for the reminders: each running statutory clock of the
review's type (the decision, telling the Home Office, telling Welsh Government where the type's
process does, completion), due from the people with access to that
review and nobody else. A reminder names the review by its reference and pseudonym only, and a
clock on hold is not reminded."""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from django.db.models import Prefetch
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.cycles import Cycle, DueItem, register

from .clocks import CLOCK_FIELDS, review_clocks
from .models import AccessGrant, DomesticHomicideReview, ReviewHold, ReviewStatus
from .policies import HOLDING_ROLES, ReviewPolicy


@register
class ReviewClockCycle(Cycle):
    kind = "dhr_clock"
    label = _("Domestic homicide review")
    owing_roles = HOLDING_ROLES
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
        # What the clocks (``review_clocks``) and an item read, not the review's whole record.
        reviews = (
            DomesticHomicideReview.objects.exclude(status=ReviewStatus.CLOSED)
            .select_related("partnership", "review_type")
            .only(*CLOCK_FIELDS, "partnership__name", "partnership__slug")
            .prefetch_related(
                Prefetch(
                    "holds",
                    queryset=ReviewHold.objects.only("id", "review_id", "started_on", "ended_on"),
                )
            )
        )
        if partnership_ids is not None:
            reviews = reviews.filter(partnership_id__in=partnership_ids)
        return reviews

    def _items(self, reviews, today: date) -> Iterable[DueItem]:
        reviews = list(reviews)
        if not reviews:
            return
        # Grants of people still in the review's partnership, in a role that may hold access.
        holders: dict[int, set[int]] = defaultdict(set)
        for review_id, user_id in (
            ReviewPolicy.working_grants(
                AccessGrant.objects.filter(review__in=reviews, user__is_active=True)
            )
            .order_by()
            .values_list("review_id", "user_id")
        ):
            holders[review_id].add(user_id)
        title = gettext("%(review)s: %(clock)s")
        for review in reviews:
            url = None
            for clock in review_clocks(review, today):
                if clock.done_on or clock.due_on is None or clock.paused:
                    continue
                url = url or reverse(
                    "reviews:detail",
                    kwargs={"partnership_slug": review.partnership.slug, "review_id": review.pk},
                )
                yield DueItem(
                    kind=self.kind,
                    key=f"dhr:{review.pk}:{clock.key}",
                    partnership_id=review.partnership_id,
                    partnership_name=review.partnership.name,
                    due_on=clock.due_on,
                    title=title % {"review": review, "clock": clock.label},
                    url=url,
                    recipients=frozenset(holders[review.pk]),
                )
