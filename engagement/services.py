"""Every change to the partnership's public meetings and consultations: plan one with its public
notice, record it as held (what was raised, how many came, the senior person present for each
responsible authority), publish the summary, or cancel it. Each status change is a
``csp_portal.workflow.transition`` (EVENT_TRANSITIONS)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import Partnership

from .models import (
    EVENT_TRANSITIONS,
    STATUTORY_SEATS,
    EngagementEvent,
    EventKind,
    EventStatus,
    SeatAttendance,
)
from .policies import EventPolicy
from .policies import EventVerb as V

# Events are planned within the year ahead; anything later is a typing mistake.
LONGEST_NOTICE = timedelta(days=366)


@dataclass(frozen=True)
class Attendee:
    """The person of senior position who attended for one responsible authority's seat."""

    seat: str
    name: str
    position: str


def seats_of(attendees: list[Attendee]) -> list[str]:
    """The attendees' seats, refused unless each is a responsible authority's, once."""
    seats = [attendee.seat for attendee in attendees]
    if len(set(seats)) != len(seats) or not set(seats) <= set(STATUTORY_SEATS):
        raise ValidationError(_("Record at most one person for each responsible authority"))
    return seats


def event_plan(
    *,
    acting_user: User,
    partnership: Partnership,
    kind: str,
    title: str,
    planned_on: date,
    venue: str,
    notice: str,
    submission: Submission | None = None,
) -> EngagementEvent:
    """A public meeting or consultation in the year ahead, with the notice the public page shows
    until it is held (reg 12(4)(c)(i))."""
    with transaction.atomic():
        submission_claim(submission)
        EventPolicy.require_user(acting_user, partnership, V.PLAN)
        if kind not in EventKind.values:
            raise ValidationError({"kind": _("Choose a public meeting or a consultation")})
        if planned_on > timezone.localdate() + LONGEST_NOTICE:
            raise ValidationError({"planned_on": _("The date must be within a year from today")})
        event = EngagementEvent(
            partnership=partnership,
            kind=kind,
            title=title,
            planned_on=planned_on,
            venue=venue,
            notice=notice,
            created_by=acting_user,
        )
        event.full_clean()
        event.save()
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="engagement.event.plan",
            target=event,
            changes={"title": [None, title], "planned_on": [None, planned_on]},
        )
    return event


def event_record_held(
    *,
    acting_user: User,
    event: EngagementEvent,
    held_on: date,
    people_attended: int | None,
    raised: str,
    attendees: list[Attendee],
    submission: Submission | None = None,
) -> EngagementEvent:
    """What happened: when, how many took part, what was raised (what the community said), and
    who of senior position attended for each responsible authority; a seat left out is a gap."""
    with transaction.atomic():
        submission_claim(submission)
        event = locked(event, related=["partnership"])
        EventPolicy.require_user(acting_user, event.partnership, V.RECORD, event)
        if held_on > timezone.localdate():
            raise ValidationError({"held_on": _("The date must be today or in the past")})
        if not raised.strip():
            raise ValidationError({"raised": _("Say what was raised")})
        seats = seats_of(attendees)
        transition(
            event,
            EventStatus.HELD,
            transitions=EVENT_TRANSITIONS,
            acting_user=acting_user,
            action="engagement.event.record",
            audit_changes={
                "held_on": [None, held_on.isoformat()],
                "people_attended": [None, people_attended],
                "seats_attended": [None, sorted(seats)],
            },
            held_on=held_on,
            people_attended=people_attended,
            raised=raised,
        )
        rows = [
            SeatAttendance(
                event=event,
                partnership_id=event.partnership_id,
                seat=attendee.seat,
                name=attendee.name,
                position=attendee.position,
            )
            for attendee in attendees
        ]
        for row in rows:
            row.full_clean(exclude=["event", "partnership"])
        SeatAttendance.objects.bulk_create(rows)
    return event


def event_publish(*, acting_user: User, event: EngagementEvent) -> EngagementEvent:
    """The summary of what was raised goes on the partnership's public page (reg 12(4)(c)(ii))."""
    with transaction.atomic():
        event = locked(event, related=["partnership"])
        EventPolicy.require_user(acting_user, event.partnership, V.PUBLISH, event)
        transition(
            event,
            EventStatus.PUBLISHED,
            transitions=EVENT_TRANSITIONS,
            acting_user=acting_user,
            action="engagement.event.publish",
            audit_changes={},
            published_at=timezone.now(),
        )
    return event


def event_cancel(*, acting_user: User, event: EngagementEvent) -> EngagementEvent:
    """A planned event that will not take place: its notice leaves the public page."""
    with transaction.atomic():
        event = locked(event, related=["partnership"])
        EventPolicy.require_user(acting_user, event.partnership, V.CANCEL, event)
        transition(
            event,
            EventStatus.CANCELLED,
            transitions=EVENT_TRANSITIONS,
            acting_user=acting_user,
            action="engagement.event.cancel",
        )
    return event
