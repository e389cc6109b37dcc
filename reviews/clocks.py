"""The statutory clocks of a review, from its dates, its holds and its type: each duration is a
field of the review's ``ReviewType`` (the decision after notification, telling the Home Office
after the decision, Welsh Government where the type's process tells it, completion after the
decision to review). Time on hold does not count, and a clock still running while the review is
on hold is paused."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Decision, DomesticHomicideReview, ReviewStatus


@dataclass(frozen=True)
class Clock:
    key: str
    label: str
    due_on: date | None
    done_on: date | None
    paused: bool
    days_on_hold: int

    @property
    def is_overdue(self) -> bool:
        return (
            self.done_on is None
            and self.due_on is not None
            and not self.paused
            and (self.due_on < timezone.localdate())
        )

    def days_left(self, today: date) -> int | None:
        return None if self.due_on is None else (self.due_on - today).days


# The fields of a review (and of its type) its clocks read, for a query that loads only those.
CLOCK_FIELDS = (
    "reference",  # and the pseudonym: the review as a list names it (``str(review)``)
    "victim_pseudonym",
    "partnership_id",
    "status",
    "notified_on",
    "decision",
    "decided_on",
    "home_office_notified_on",
    "welsh_government_notified_on",
    "submitted_on",
    "review_type__decision_months",
    "review_type__home_office_notice_days",
    "review_type__welsh_government_notified",
    "review_type__completion_months",
)


def days_on_hold(review: DomesticHomicideReview, today: date) -> int:
    """Whole days spent on hold so far (uses prefetched holds)."""
    return sum(((hold.ended_on or today) - hold.started_on).days for hold in review.holds.all())


def review_clocks(review: DomesticHomicideReview, today: date | None = None) -> list[Clock]:
    today = today or timezone.localdate()
    held = days_on_hold(review, today)
    paused = review.status == ReviewStatus.ON_HOLD
    kind = review.review_type
    clocks = [
        Clock(
            "decision",
            _("Decision whether to review"),
            review.notified_on + relativedelta(months=kind.decision_months),
            review.decided_on,
            False,
            0,
        )
    ]
    if review.decided_on:
        clocks.append(
            Clock(
                "home_office",
                _("Home Office told of the decision"),
                review.decided_on + timedelta(days=kind.home_office_notice_days),
                review.home_office_notified_on,
                False,
                0,
            )
        )
    if review.decided_on and kind.welsh_government_notified and review.decision == Decision.REVIEW:
        # Told whenever a review takes place; a hold pauses the clock and moves it on.
        clocks.append(
            Clock(
                "welsh_government",
                _("Welsh Government told that a review takes place"),
                review.decided_on + timedelta(days=kind.home_office_notice_days + held),
                review.welsh_government_notified_on,
                paused and review.welsh_government_notified_on is None,
                held,
            )
        )
    if review.decision == Decision.REVIEW and review.decided_on:
        clocks.append(
            Clock(
                "completion",
                _("Review completed and submitted"),
                review.decided_on
                + relativedelta(months=kind.completion_months)
                + timedelta(days=held),
                review.submitted_on,
                paused,
                held,
            )
        )
    return clocks
