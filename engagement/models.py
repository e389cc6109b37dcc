"""Community engagement: the public meetings and consultations through which the strategy group
obtains the views of people who live or work in the area (regulation 12 of the Crime and Disorder
(Formulation and Implementation of Strategy) Regulations 2007, SI 2007/1830, in England; the
Welsh counterpart, SI 2007/3076, in Wales).

Regulation 12(4) of SI 2007/1830: the strategy group holds one or more public meetings in each
year (a), attended by persons who hold a senior position within each of the responsible
authorities (b), and tells people who live or work in the area when the meetings are held and
what was discussed at them (c). So an event records the senior person present for each statutory
seat (``SeatAttendance``; the gaps show), its public notice, and the summary of what was raised,
published on the partnership's public page and read into the next strategic assessment.

Sources (checked for issue 20): reg 12(1)-(4) as made, on legislation.gov.uk
(uksi/2007/1830/regulation/12/made). Regulation 3 of both sets was substituted in 2011 (SI
2011/1230 in England from 1 June 2011, SI 2011/2702 in Wales from 5 December 2011: the strategy
group is now two or more persons appointed by the responsible authorities); whether those or later
amendments changed regulation 12, and which regulation of SI 2007/3076 holds the Welsh public
meetings, was not confirmed: read the revised text before relying on either.

A status is data (``TextChoices``, a transitions map and check constraints) changed only through
``csp_portal.workflow.transition``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Seat

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
NAME_MAX_LENGTH = 150


class EventKind(models.TextChoices):
    PUBLIC_MEETING = "public_meeting", _("Public meeting")
    CONSULTATION = "consultation", _("Consultation")


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held, summary not yet published")
    PUBLISHED = "published", _("Summary published")
    CANCELLED = "cancelled", _("Cancelled")


EVENT_TRANSITIONS: dict[str, frozenset[str]] = {
    EventStatus.PLANNED: frozenset({EventStatus.HELD, EventStatus.CANCELLED}),
    EventStatus.HELD: frozenset({EventStatus.PUBLISHED}),
    EventStatus.PUBLISHED: frozenset(),
    EventStatus.CANCELLED: frozenset(),
}
# What has happened: it has a date held and a record of what was raised.
TOOK_PLACE = frozenset({EventStatus.HELD, EventStatus.PUBLISHED})


class EngagementEvent(models.Model):
    """One public meeting or consultation in the partnership's year: planned with its public
    notice, then recorded as held (when, how many came, what was raised, who attended for each
    seat), then its summary published."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="engagement_events"
    )
    kind = models.CharField(_("kind"), max_length=16, choices=EventKind.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    planned_on = models.DateField(_("date"))
    venue = models.CharField(_("where"), max_length=TITLE_MAX_LENGTH)
    # The public notice (reg 12(4)(c)(i)): shown on the public page while the event is planned.
    notice = models.TextField(_("public notice"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=16, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    held_on = models.DateField(_("date held"), null=True, blank=True)
    people_attended = models.PositiveIntegerField(_("people who took part"), null=True, blank=True)
    # What the community said (reg 12(4)(c)(ii)): published, and read into the assessment.
    raised = models.TextField(_("what was raised"), blank=True, max_length=TEXT_MAX_LENGTH)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-planned_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "status", "planned_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=EventStatus.values), name="engagement_event_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=EventKind.values), name="engagement_event_kind_valid"
            ),
            # Held or published exactly when it has a date held and what was raised.
            models.CheckConstraint(
                condition=(Q(status__in=TOOK_PLACE, held_on__isnull=False) & ~Q(raised=""))
                | (~Q(status__in=TOOK_PLACE) & Q(held_on__isnull=True)),
                name="engagement_event_held_has_its_record",
            ),
            models.CheckConstraint(
                condition=Q(status=EventStatus.PUBLISHED, published_at__isnull=False)
                | (~Q(status=EventStatus.PUBLISHED) & Q(published_at__isnull=True)),
                name="engagement_event_published_iff_published_at",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def took_place(self) -> bool:
        return self.status in TOOK_PLACE


STATUTORY_SEATS = [seat.value for seat in Seat.statutory()]


class SeatAttendance(models.Model):
    """The person of senior position who attended for one responsible authority's seat (reg
    12(4)(b)); a statutory seat with no row is a gap."""

    event = models.ForeignKey(EngagementEvent, on_delete=models.CASCADE, related_name="attendance")
    # Denormalised from the event so that every tenant query filters one indexed column.
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    seat = models.CharField(_("seat"), max_length=32, choices=Seat.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    position = models.CharField(_("position"), max_length=NAME_MAX_LENGTH)

    class Meta:
        ordering = ["event", "seat"]
        indexes = [models.Index(fields=["partnership", "event"])]
        constraints = [
            models.UniqueConstraint(fields=["event", "seat"], name="engagement_attendance_once"),
            models.CheckConstraint(
                condition=Q(seat__in=STATUTORY_SEATS), name="engagement_attendance_statutory_seat"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_seat_display()}: {self.name}"
