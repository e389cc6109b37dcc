"""The strategy group's meetings (regulation 3 of SI 2007/1830: the group that prepares the
strategic assessment and prepares and implements the partnership plan; SI 2007/3076 in Wales;
regulation 3 as substituted by SI 2011/1230 and SI 2011/2702, whose 3(4) lets co-operating and
participating bodies and invitees attend its meetings):
the agenda, who attended for each seat, the decisions and actions arising (each may be linked to
an action of the partnership plan), and the minutes, published to the partnership's members and,
where the partnership chooses, a depersonalised version on its public page.

A status is data (``TextChoices``, a transitions map and check constraints) changed only through
``csp_portal.workflow.transition``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership, Seat
from plans.models import PlanStatus

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 20_000
NAME_MAX_LENGTH = 150


class MeetingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    HELD = "held", _("Held, minutes not yet published")
    PUBLISHED = "published", _("Minutes published")


MEETING_TRANSITIONS: dict[str, frozenset[str]] = {
    MeetingStatus.SCHEDULED: frozenset({MeetingStatus.HELD}),
    MeetingStatus.HELD: frozenset({MeetingStatus.PUBLISHED}),
    MeetingStatus.PUBLISHED: frozenset(),
}
TOOK_PLACE = frozenset({MeetingStatus.HELD, MeetingStatus.PUBLISHED})
# A plan version the strategy group can have signed off: out for sign-off or past it.
SIGNABLE_PLAN_STATUSES = frozenset(
    {PlanStatus.CONSULTATION, PlanStatus.APPROVED, PlanStatus.PUBLISHED, PlanStatus.SUPERSEDED}
)


class StrategyMeeting(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="strategy_meetings"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    meets_on = models.DateField(_("date"))
    agenda = models.TextField(_("agenda"), max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("status"), max_length=16, choices=MeetingStatus.choices, default=MeetingStatus.SCHEDULED
    )
    minutes = models.TextField(_("minutes"), blank=True, max_length=TEXT_MAX_LENGTH)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    # The partnership's choice, meeting by meeting and audited: a version of the minutes for its
    # public page, written without names or anything else that identifies a person (the public
    # page shows which seats attended, never who), once the minutes are published to members.
    public_minutes = models.TextField(
        _("minutes for the public page"), blank=True, max_length=TEXT_MAX_LENGTH
    )
    public_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-meets_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "status", "meets_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=MeetingStatus.values),
                name="strategygroup_meeting_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=TOOK_PLACE) | ~Q(minutes=""),
                name="strategygroup_meeting_held_has_minutes",
            ),
            models.CheckConstraint(
                condition=Q(status=MeetingStatus.PUBLISHED, minutes_published_at__isnull=False)
                | (~Q(status=MeetingStatus.PUBLISHED) & Q(minutes_published_at__isnull=True)),
                name="strategygroup_meeting_published_iff_published_at",
            ),
            models.CheckConstraint(
                condition=Q(public_at__isnull=True, public_minutes="")
                | (
                    Q(status=MeetingStatus.PUBLISHED, public_at__isnull=False)
                    & ~Q(public_minutes="")
                ),
                name="strategygroup_meeting_public_has_published_minutes",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def took_place(self) -> bool:
        return self.status in TOOK_PLACE


class MeetingAttendance(models.Model):
    """Who attended for one seat; a statutory seat with no row sent no one."""

    meeting = models.ForeignKey(
        StrategyMeeting, on_delete=models.CASCADE, related_name="attendance"
    )
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    seat = models.CharField(_("seat"), max_length=32, choices=Seat.choices)
    name = models.CharField(_("name"), max_length=NAME_MAX_LENGTH)
    position = models.CharField(_("position"), max_length=NAME_MAX_LENGTH)

    class Meta:
        ordering = ["meeting", "seat"]
        indexes = [models.Index(fields=["partnership", "meeting"])]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "seat"], name="strategygroup_attendance_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_seat_display()}: {self.name}"


class Decision(models.Model):
    """A decision or action arising from the meeting, with its owner, the partnership plan's
    action it concerns, if any, and the plan version it signed off, if it did."""

    meeting = models.ForeignKey(StrategyMeeting, on_delete=models.CASCADE, related_name="decisions")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    number = models.PositiveSmallIntegerField()
    text = models.TextField(_("decision or action"), max_length=TEXT_MAX_LENGTH)
    owner = models.CharField(_("owner"), max_length=NAME_MAX_LENGTH, blank=True)
    plan_action = models.ForeignKey(
        "plans.PlanAction",
        verbose_name=_("plan action"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The plan version this decision signed off, if it did: the plan's page links back to it.
    signed_off_plan = models.ForeignKey(
        "plans.PartnershipPlan",
        verbose_name=_("plan signed off"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        ordering = ["meeting", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["meeting", "number"], name="strategygroup_decision_number_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


def _paper_path(instance: "MeetingPaper", filename: str) -> str:
    # The stored name is random: the original name is kept in a field and never trusted as a path.
    return f"strategy-group/{instance.partnership_id}/{instance.token}"


class MeetingPaper(models.Model):
    """A paper for the meeting, type- and size-checked (csp_portal.uploads). Served only through a
    view that checks access."""

    meeting = models.ForeignKey(StrategyMeeting, on_delete=models.CASCADE, related_name="papers")
    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="+")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=_paper_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name
