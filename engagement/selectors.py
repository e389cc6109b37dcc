"""Reads of the partnership's public meetings and consultations: scoped to the member's
partnership by ``EventPolicy`` (another partnership's event is not found: 404), the public page's
notices and summaries, and what the community said for a strategic assessment."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Case, Prefetch, QuerySet, When
from django.db.models.functions import ExtractYear
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


def events_in_full_of(*, membership: Membership) -> QuerySet[EngagementEvent]:
    """The partnership's events with their notice and what was raised, for the API (two
    queries a page)."""
    return _with_attendance(EventPolicy.visible(membership).order_by("-planned_on", "-pk"))


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


@dataclass(frozen=True)
class YearPages:
    """The financial years (their first year: 2025 is April 2025 to March 2026) that have
    something to show, newest first, and the one shown (None when there is none)."""

    years: list[int]
    year: int | None


def year_pages(years: list[int], asked: str | None) -> YearPages:
    """The year asked for (``?year=2025``) if it has something, else the newest."""
    chosen = int(asked) if asked and asked.isdigit() and int(asked) in years else None
    return YearPages(years=years, year=chosen or (years[0] if years else None))


def financial_year_expression(field: str):
    """The financial year (1 April) a date field falls in, for a query."""
    year = ExtractYear(field)
    return Case(When(**{f"{field}__month__lt": 4}, then=year - 1), default=year)


def year_range(year: int) -> tuple[date, date]:
    return date(year, 4, 1), date(year + 1, 4, 1)


@dataclass(frozen=True)
class PublicEvents:
    coming: list[EngagementEvent]
    held: list[EngagementEvent]
    pages: YearPages


def public_events(*, partnership: Partnership, year: str | None = None) -> PublicEvents:
    """What the public page shows (reg 12(4)(c)): the notices of the events to come, and the
    published summaries of those held in one financial year, newest first, so that the page
    does not grow year on year (four queries)."""
    today = timezone.localdate()
    coming = list(
        EngagementEvent.objects.filter(
            partnership=partnership, status=EventStatus.PLANNED, planned_on__gte=today
        ).order_by("planned_on", "pk")
    )
    published = EngagementEvent.objects.filter(
        partnership=partnership, status=EventStatus.PUBLISHED
    )
    years = list(
        published.annotate(financial_year=financial_year_expression("held_on"))
        .order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .distinct()
    )
    pages = year_pages(years, year)
    held = []
    if pages.year is not None:
        start, end = year_range(pages.year)
        held = list(
            _with_attendance(published.filter(held_on__gte=start, held_on__lt=end)).order_by(
                "-held_on", "-pk"
            )
        )
    return PublicEvents(coming=coming, held=held, pages=pages)


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
