"""The statutory clocks of a review, from its dates and its holds. Durations are settings:
the decision is due a month after notification, the Home Office is told soon after the decision,
and the review aims to finish six months after the decision to review. Time on hold does not
count."""

from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
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


def days_on_hold(review: DomesticHomicideReview, today: date) -> int:
    """Whole days spent on hold so far (uses prefetched holds)."""
    return sum(((hold.ended_on or today) - hold.started_on).days for hold in review.holds.all())


def review_clocks(review: DomesticHomicideReview, today: date | None = None) -> list[Clock]:
    today = today or timezone.localdate()
    held = days_on_hold(review, today)
    paused = review.status == ReviewStatus.ON_HOLD
    clocks = [
        Clock(
            "decision",
            _("Decision whether to review"),
            review.notified_on + relativedelta(months=settings.CSP_DHR_DECISION_MONTHS),
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
                review.decided_on + timedelta(days=settings.CSP_DHR_HOME_OFFICE_NOTICE_DAYS),
                review.home_office_notified_on,
                False,
                0,
            )
        )
    if review.decision == Decision.REVIEW and review.decided_on:
        clocks.append(
            Clock(
                "completion",
                _("Review completed and submitted"),
                review.decided_on
                + relativedelta(months=settings.CSP_DHR_COMPLETION_MONTHS)
                + timedelta(days=held),
                review.submitted_on,
                paused,
                held,
            )
        )
    return clocks
