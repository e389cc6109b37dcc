"""Reads of the partnership's public meetings and consultations: scoped to the member's
partnership by ``EventPolicy`` (another partnership's event is not found: 404), the public page's
notices and summaries, and what the community said for a strategic assessment."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from assessments.community import CommunityEvidence
from partnerships.models import Membership, Partnership, Seat

from .models import TOOK_PLACE, EngagementEvent, EventStatus, SeatAttendance
from .policies import EventPolicy


@dataclass(frozen=True)
class SeatRow:
    seat: str
    label: str
    attendance: SeatAttendance | None


def seat_rows(event: EngagementEvent) -> list[SeatRow]:
    """Each responsible authority's seat with who attended for it (None: a gap). Reads the
    event's prefetched ``attendance``."""
    by_seat = {row.seat: row for row in event.attendance.all()}
    return [SeatRow(seat.value, seat.label, by_seat.get(seat.value)) for seat in Seat.statutory()]


def _with_attendance(queryset: QuerySet[EngagementEvent]) -> QuerySet[EngagementEvent]:
    return queryset.prefetch_related(
        Prefetch("attendance", queryset=SeatAttendance.objects.order_by("seat"))
    )


def events_of(*, membership: Membership) -> QuerySet[EngagementEvent]:
    """The partnership's events, newest first, each with its seats' attendance (two queries)."""
    return _with_attendance(EventPolicy.visible(membership).defer("notice", "raised"))


def event_for(*, membership: Membership, pk: int) -> EngagementEvent:
    try:
        return _with_attendance(EventPolicy.visible(membership).select_related("partnership")).get(
            pk=pk
        )
    except EngagementEvent.DoesNotExist:
        raise Http404 from None


def public_partnership(*, slug: str) -> Partnership:
    try:
        return Partnership.objects.get(slug=slug)
    except Partnership.DoesNotExist:
        raise Http404 from None


def public_events(*, partnership: Partnership) -> tuple[list, list]:
    """What the public page shows (reg 12(4)(c)): the notices of the events to come, and the
    published summaries of those held, newest first."""
    today = timezone.localdate()
    events = _with_attendance(
        EngagementEvent.objects.filter(
            partnership=partnership, status__in=[EventStatus.PLANNED, EventStatus.PUBLISHED]
        )
    )
    coming = [e for e in events if e.status == EventStatus.PLANNED and e.planned_on >= today]
    held = [e for e in events if e.status == EventStatus.PUBLISHED]
    coming.sort(key=lambda event: event.planned_on)
    return coming, held


def financial_year_of(day: date) -> int:
    return day.year if day.month >= 4 else day.year - 1


def community_evidence_for(assessment) -> list[CommunityEvidence]:
    """The events held in the financial year before the assessment's year (the year it is
    prepared in), as the assessment's evidence of what the community said (two queries)."""
    year = assessment.year_start - 1
    events = _with_attendance(
        EngagementEvent.objects.filter(
            partnership_id=assessment.partnership_id,
            status__in=TOOK_PLACE,
            held_on__gte=date(year, 4, 1),
            held_on__lt=date(year + 1, 4, 1),
        ).select_related("partnership")
    )
    statutory = len(Seat.statutory())
    return [
        CommunityEvidence(
            title=event.title,
            kind=event.get_kind_display(),
            held_on=event.held_on,
            people=event.people_attended,
            seats=_("%(present)s of %(seats)s responsible authorities")
            % {"present": len(event.attendance.all()), "seats": statutory},
            raised=event.raised,
            url=reverse(
                "engagement:event",
                kwargs={"partnership_slug": event.partnership.slug, "event_id": event.pk},
            ),
        )
        for event in events
    ]
