"""The retention schedule: for each kind of record, how long it is kept (CSP_RETENTION_DAYS, set
by the operator), from when, and which records are past it at a given moment.

Nothing of a domestic homicide review that is on hold or under legal hold is ever past its time:
its documents, and the audit events of its need-to-know record, are kept whatever their age.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.contrib.sessions.models import Session
from django.db.models import Exists, Min, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from accounts.models import AccountEmail, ApiToken
from assessments.models import ContributionDocument
from audit.models import AuditEvent
from casereviews.models import FINISHED_STATUSES, CaseReview
from partnerships.models import Partnership
from reminders.models import DeliveryStatus, Notification
from reviews.models import DomesticHomicideReview, ReviewDocument, ReviewHold, ReviewStatus


def held_reviews() -> QuerySet[DomesticHomicideReview]:
    """Reviews whose records the schedule never touches: on hold, or under legal hold."""
    open_hold = ReviewHold.objects.filter(review=OuterRef("pk"), ended_on__isnull=True)
    return DomesticHomicideReview.objects.filter(
        Q(status=ReviewStatus.ON_HOLD) | ~Q(legal_hold_reason="") | Exists(open_hold)
    )


@dataclass(frozen=True)
class Kind:
    name: str
    label: str
    # When the clock starts, in words for the page.
    counted_from: str
    # The records past their time at ``cutoff`` (``now`` less the kind's days), in one partnership
    # or (None) in the whole service.
    past: Callable[[datetime], QuerySet]
    # The lookup from the record to its partnership ("" for records of the whole service).
    partnership_lookup: str
    # The field whose date, plus the kind's days, is when the record goes.
    date_field: str
    file_field: str = ""

    @property
    def days(self) -> int:
        return settings.CSP_RETENTION_DAYS[self.name]

    def due(self, *, now: datetime, partnership: Partnership | None = None) -> QuerySet:
        records = self.past(now - timedelta(days=self.days))
        if partnership is not None:
            if not self.partnership_lookup:
                return records.none()
            records = records.filter(**{self.partnership_lookup: partnership})
        return records


def _contribution_documents(cutoff):
    return ContributionDocument.objects.filter(uploaded_at__lt=cutoff)


def _review_documents(cutoff):
    # A review that has stayed at one step this long is over; one on hold (criminal proceedings
    # can last years) or under legal hold is kept.
    return ReviewDocument.objects.filter(review__status_changed_at__lt=cutoff).exclude(
        review__in=held_reviews()
    )


def _case_reviews(cutoff):
    # The applicant's details go with the case: a finished case, unchanged this long.
    return CaseReview.objects.filter(status__in=FINISHED_STATUSES, status_changed_at__lt=cutoff)


def _notifications(cutoff):
    return Notification.objects.filter(created_at__lt=cutoff).exclude(
        status__in=[DeliveryStatus.PENDING, DeliveryStatus.SENDING]
    )


def _audit_events(cutoff):
    held = held_reviews().values("pk")
    return AuditEvent.objects.filter(occurred_at__lt=cutoff).exclude(
        need_to_know="reviews.domestichomicidereview", need_to_know_id__in=held
    )


def _api_tokens(cutoff):
    return ApiToken.objects.filter(Q(revoked_at__lt=cutoff) | Q(expires_at__lt=cutoff))


def _account_emails(cutoff):
    return AccountEmail.objects.filter(created_at__lt=cutoff)


def _sessions(cutoff):
    return Session.objects.filter(expire_date__lt=cutoff)


SCHEDULE: list[Kind] = [
    Kind(
        "contribution_documents",
        _("Documents attached to contributions"),
        _("from upload"),
        _contribution_documents,
        "contribution__assessment__partnership",
        "uploaded_at",
        file_field="file",
    ),
    Kind(
        "review_documents",
        _("Domestic homicide review documents"),
        _("from the review's last change of step, unless on hold or under legal hold"),
        _review_documents,
        "review__partnership",
        "review__status_changed_at",
        file_field="file",
    ),
    Kind(
        "case_reviews",
        _("ASB case reviews, with the applicant's details and the letters"),
        _("from the case's last change of step, once finished"),
        _case_reviews,
        "partnership",
        "status_changed_at",
    ),
    Kind(
        "notifications",
        _("Notifications and reminder emails"),
        _("from when they were made, once sent or no longer due"),
        _notifications,
        "partnership",
        "created_at",
    ),
    Kind(
        "audit_events",
        _("Audit log entries"),
        _("from the change they record, except those of a review on hold or legal hold"),
        _audit_events,
        "partnership",
        "occurred_at",
    ),
    Kind(
        "api_tokens",
        _("Personal API tokens"),
        _("from their expiry or revocation"),
        _api_tokens,
        "",
        "expires_at",
    ),
    Kind(
        "account_emails",
        _("Records of account emails (password resets)"),
        _("from when they were asked for"),
        _account_emails,
        "",
        "created_at",
    ),
    Kind("sessions", _("Sign-in sessions"), _("from their expiry"), _sessions, "", "expire_date"),
]
KINDS = {kind.name: kind for kind in SCHEDULE}


@dataclass(frozen=True)
class ScheduleRow:
    kind: Kind
    days: int
    due_now: int  # past their time: the next run deletes them
    due_soon: int  # past their time within ``soon`` days
    next_date: datetime | None  # when the first record not yet due becomes due


def schedule_for_partnership(
    *, partnership: Partnership, now: datetime, soon_days: int = 30
) -> list[ScheduleRow]:
    """What the schedule will delete of this partnership's records, and when: three queries per
    kind that belongs to a partnership, none for the others."""
    rows = []
    for kind in SCHEDULE:
        if not kind.partnership_lookup:
            rows.append(ScheduleRow(kind, kind.days, 0, 0, None))
            continue
        due_now = kind.due(now=now, partnership=partnership).count()
        later = now + timedelta(days=soon_days)
        due_soon = kind.due(now=later, partnership=partnership).count() - due_now
        remaining = kind.past(later + timedelta(days=36500)).filter(
            **{kind.partnership_lookup: partnership}
        )
        oldest = remaining.exclude(pk__in=kind.due(now=now).values("pk")).aggregate(
            first=Min(kind.date_field)
        )["first"]
        next_date = oldest + timedelta(days=kind.days) if oldest else None
        rows.append(ScheduleRow(kind, kind.days, due_now, due_soon, next_date))
    return rows


def held_review_count(*, partnership: Partnership) -> int:
    return held_reviews().filter(partnership=partnership).count()
