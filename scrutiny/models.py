"""What the council's crime and disorder committee does with the partnership under the Police and
Justice Act 2006 s19-20 and the Crime and Disorder (Overview and Scrutiny) Regulations 2009
(SI 2009/942): its information requests and the partnership's (depersonalised) answers, its
reports and recommendations with the responsible authorities' written responses, the councillor
calls for action it considers, and its meetings on the partnership (at least one a year).

Each record carries its partnership; a status is data (``TextChoices``, a transitions map and a
check constraint) changed only through ``csp_portal.workflow.transition``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
NAME_MAX_LENGTH = 150


def _person():
    return models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )


# Information requests --------------------------------------------------------------------------


class InformationRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Awaiting an answer")
    ANSWERED = "answered", _("Answered")
    WITHDRAWN = "withdrawn", _("Withdrawn")


INFORMATION_REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    InformationRequestStatus.REQUESTED: frozenset(
        {InformationRequestStatus.ANSWERED, InformationRequestStatus.WITHDRAWN}
    ),
    InformationRequestStatus.ANSWERED: frozenset(),
    InformationRequestStatus.WITHDRAWN: frozenset(),
}


class InformationRequest(models.Model):
    """A committee member's written request to the partnership for information (SI 2009/942):
    answered by the date it sets, with depersonalised information only."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="scrutiny_information_requests"
    )
    title = models.CharField(_("subject"), max_length=TITLE_MAX_LENGTH)
    question = models.TextField(_("information asked for"), max_length=TEXT_MAX_LENGTH)
    due_date = models.DateField(_("answer by"))
    status = models.CharField(
        max_length=16,
        choices=InformationRequestStatus.choices,
        default=InformationRequestStatus.REQUESTED,
    )
    requested_by = _person()
    requested_by_name = models.CharField(max_length=NAME_MAX_LENGTH)
    answer = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    # The answerer declared that the answer identifies no one (SI 2009/942: depersonalised).
    depersonalised = models.BooleanField(default=False)
    answered_by = _person()
    answered_by_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    answered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=InformationRequestStatus.values),
                name="scrutiny_information_request_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status=InformationRequestStatus.ANSWERED)
                | (Q(depersonalised=True) & ~Q(answer="") & Q(answered_at__isnull=False)),
                name="scrutiny_information_answer_depersonalised",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today) -> bool:
        return self.status == InformationRequestStatus.REQUESTED and self.due_date < today


# Reports and recommendations -------------------------------------------------------------------


class CommitteeReportStatus(models.TextChoices):
    AWAITING = "awaiting", _("Awaiting the response")
    RESPONDED = "responded", _("Responded to")


COMMITTEE_REPORT_TRANSITIONS: dict[str, frozenset[str]] = {
    CommitteeReportStatus.AWAITING: frozenset({CommitteeReportStatus.RESPONDED}),
    CommitteeReportStatus.RESPONDED: frozenset(),
}


class CommitteeReport(models.Model):
    """A report of the committee to the responsible authorities (s19(1)(b) of the 2006 Act), with
    its recommendations, each to be answered in writing by ``response_due`` (SI
    2009/942; the period is ``CSP_SCRUTINY_RESPONSE_DAYS``)."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="scrutiny_reports"
    )
    title = models.CharField(_("title"), max_length=TITLE_MAX_LENGTH)
    summary = models.TextField(_("summary"), max_length=TEXT_MAX_LENGTH)
    made_on = models.DateField(_("date of the report"))
    response_due = models.DateField(_("response due"))
    status = models.CharField(
        max_length=16, choices=CommitteeReportStatus.choices, default=CommitteeReportStatus.AWAITING
    )
    recorded_by = _person()
    recorded_by_name = models.CharField(max_length=NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-made_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CommitteeReportStatus.values),
                name="scrutiny_report_status_valid",
            ),
            models.CheckConstraint(
                condition=Q(response_due__gte=models.F("made_on")),
                name="scrutiny_report_response_after_report",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("Awaiting a response")
    ACCEPTED = "accepted", _("Accepted")
    PARTLY = "partly", _("Partly accepted")
    REJECTED = "rejected", _("Rejected")


RECOMMENDATION_TRANSITIONS: dict[str, frozenset[str]] = {
    RecommendationStatus.PENDING: frozenset(
        {RecommendationStatus.ACCEPTED, RecommendationStatus.PARTLY, RecommendationStatus.REJECTED}
    ),
    RecommendationStatus.ACCEPTED: frozenset(),
    RecommendationStatus.PARTLY: frozenset(),
    RecommendationStatus.REJECTED: frozenset(),
}
# A recommendation not (wholly) accepted is answered with the reasons.
NEEDS_REASONS = frozenset({RecommendationStatus.PARTLY, RecommendationStatus.REJECTED})


class Recommendation(models.Model):
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="scrutiny_recommendations"
    )
    report = models.ForeignKey(
        CommitteeReport, on_delete=models.CASCADE, related_name="recommendations"
    )
    number = models.PositiveSmallIntegerField()
    text = models.TextField(max_length=TEXT_MAX_LENGTH)
    status = models.CharField(
        _("response"),
        max_length=16,
        choices=RecommendationStatus.choices,
        default=RecommendationStatus.PENDING,
    )
    # The written response: what the authorities will do, or why they will not.
    response = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    responded_by = _person()
    responded_by_name = models.CharField(max_length=NAME_MAX_LENGTH, blank=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["report", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "number"], name="scrutiny_recommendation_number_unique"
            ),
            models.CheckConstraint(
                condition=Q(status__in=RecommendationStatus.values),
                name="scrutiny_recommendation_status_valid",
            ),
            models.CheckConstraint(
                condition=~Q(status__in=NEEDS_REASONS) | ~Q(response=""),
                name="scrutiny_recommendation_reasons_given",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.number}. {self.text[:80]}"


# Councillor calls for action -------------------------------------------------------------------


class CallForActionStatus(models.TextChoices):
    RECEIVED = "received", _("Being considered")
    CONCLUDED = "concluded", _("Concluded")


CALL_FOR_ACTION_TRANSITIONS: dict[str, frozenset[str]] = {
    CallForActionStatus.RECEIVED: frozenset({CallForActionStatus.CONCLUDED}),
    CallForActionStatus.CONCLUDED: frozenset(),
}


class CallForActionOutcome(models.TextChoices):
    RESOLVED = "resolved", _("Resolved by the partners")
    REPORT = "report", _("The committee made a report or recommendations")
    NO_ACTION = "no_action", _("No further action")


class CallForAction(models.Model):
    """A councillor call for action: a local crime and disorder matter a ward councillor referred
    to the committee (s19(3) of the 2006 Act), with what came of it."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="scrutiny_calls_for_action"
    )
    matter = models.CharField(_("matter"), max_length=TITLE_MAX_LENGTH)
    ward = models.CharField(_("ward"), max_length=TITLE_MAX_LENGTH)
    councillor = models.CharField(_("councillor"), max_length=NAME_MAX_LENGTH)
    details = models.TextField(_("details"), max_length=TEXT_MAX_LENGTH)
    referred_on = models.DateField(_("date referred"))
    status = models.CharField(
        max_length=16, choices=CallForActionStatus.choices, default=CallForActionStatus.RECEIVED
    )
    outcome = models.CharField(max_length=16, choices=CallForActionOutcome.choices, blank=True)
    outcome_details = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    recorded_by = _person()
    recorded_by_name = models.CharField(max_length=NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-referred_on", "-pk"]
        verbose_name = _("councillor call for action")
        verbose_name_plural = _("councillor calls for action")
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=CallForActionStatus.values),
                name="scrutiny_call_for_action_status_valid",
            ),
            # Concluded exactly when it has an outcome.
            models.CheckConstraint(
                condition=(
                    Q(status=CallForActionStatus.CONCLUDED, outcome__in=CallForActionOutcome.values)
                    | Q(status=CallForActionStatus.RECEIVED, outcome="")
                ),
                name="scrutiny_call_for_action_outcome",
            ),
        ]

    def __str__(self) -> str:
        return self.matter


# Meetings --------------------------------------------------------------------------------------


class ScrutinyMeeting(models.Model):
    """A meeting of the committee on the partnership's work (SI 2009/942: at least once
    in every twelve months), with what the committee asked and what the partnership answered."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="scrutiny_meetings"
    )
    held_on = models.DateField(_("date of the meeting"))
    attended_by = models.CharField(_("who answered for the partnership"), max_length=500)
    asked = models.TextField(_("what the committee asked"), max_length=TEXT_MAX_LENGTH)
    answered = models.TextField(_("what the partnership answered"), max_length=TEXT_MAX_LENGTH)
    recorded_by = _person()
    recorded_by_name = models.CharField(max_length=NAME_MAX_LENGTH)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-held_on", "-pk"]
        indexes = [models.Index(fields=["partnership", "held_on"])]
        constraints = [
            models.UniqueConstraint(
                fields=["partnership", "held_on"], name="scrutiny_meeting_once_a_day"
            )
        ]

    def __str__(self) -> str:
        return str(self.held_on)
