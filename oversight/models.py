"""What a Police and Crime Commissioner's office does in the service beyond reading: formal
report requests to a partnership (with the partnership's answers and the history of both
sides), and the approval of a combination (merger) of English partnerships.

The police and crime plan priorities the PCC maintains are ``plans.PoliceAndCrimePlanPriority``:
plan priorities map to them, so they stay with the plans.
"""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.functional import lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from authorities.models import Organisation, PoliceForceArea
from partnerships.models import Partnership

TITLE_MAX_LENGTH = 200
TEXT_MAX_LENGTH = 10_000
REFERENCE_MAX_LENGTH = 100
NOTE_MAX_LENGTH = 2_000


def _too_long(what, limit: int) -> str:
    return gettext("%(what)s must be %(count)s characters or fewer") % {
        "what": what,
        "count": f"{limit:,}",
    }


# A field's message, in the words the forms use, translated when shown.
too_long = lazy(_too_long, str)


class ReportRequestStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


REPORT_REQUEST_TRANSITIONS: dict[str, frozenset[str]] = {
    ReportRequestStatus.REQUESTED: frozenset(
        {ReportRequestStatus.ANSWERED, ReportRequestStatus.WITHDRAWN}
    ),
    # The PCC closes an answered request, or asks for more (which reopens it).
    ReportRequestStatus.ANSWERED: frozenset(
        {
            ReportRequestStatus.CLOSED,
            ReportRequestStatus.REQUESTED,
            ReportRequestStatus.WITHDRAWN,
        }
    ),
    ReportRequestStatus.CLOSED: frozenset({ReportRequestStatus.REQUESTED}),
    ReportRequestStatus.WITHDRAWN: frozenset(),
}


class ReportRequest(models.Model):
    """A PCC office's formal request to one partnership for a report on an issue of concern."""

    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="report_requests"
    )
    title = models.CharField(
        _("issue of concern"),
        max_length=TITLE_MAX_LENGTH,
        error_messages={
            "blank": _("Enter the issue of concern"),
            "max_length": too_long(_("The issue of concern"), TITLE_MAX_LENGTH),
        },
    )
    due_date = models.DateField(_("due date"))
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=ReportRequestStatus.choices,
        default=ReportRequestStatus.REQUESTED,
    )
    # Each request for more starts a round: reminders are per round.
    round = models.PositiveSmallIntegerField(default=1)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requesting_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="report_requests"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    status_changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["partnership", "status"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=ReportRequestStatus.values),
                name="report_request_status_valid",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_awaiting_answer(self) -> bool:
        return self.status == ReportRequestStatus.REQUESTED

    def is_overdue(self, today) -> bool:
        return self.is_awaiting_answer and self.due_date < today


class EntryKind(models.TextChoices):
    REQUEST = "request", _("Report requested")
    ANSWER = "answer", _("Answered")
    MORE = "more", _("More asked for")
    CLOSE = "close", _("Closed")
    WITHDRAW = "withdraw", _("Withdrawn")


class ReportRequestEntry(models.Model):
    """One step of a request's history: the request, each answer, each request for more, its
    closing or withdrawal; who took it (as they were then) and when."""

    report_request = models.ForeignKey(
        ReportRequest, on_delete=models.CASCADE, related_name="entries"
    )
    kind = models.CharField(max_length=16, choices=EntryKind.choices)
    # Markdown, shown sanitised (csp_portal.richtext). Whether it is required, and how long it may
    # be, depends on the kind of entry (clean).
    body = models.TextField(blank=True, max_length=TEXT_MAX_LENGTH)
    due_date = models.DateField(null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    author_name = models.CharField(max_length=150)
    author_organisation = models.CharField(max_length=200)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = _("report request entries")
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=EntryKind.values), name="report_request_entry_kind_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.report_request}"

    def clean(self):
        required, limit, what = ENTRY_BODY_RULES[self.kind]
        if required and not self.body.strip():
            raise ValidationError({"body": required})
        if len(self.body) > limit:
            raise ValidationError({"body": too_long(what, limit)})


# What each kind of entry's text must be: (message when it is missing, or "" when it may be,
# longest length, what the message calls it).
ENTRY_BODY_RULES = {
    EntryKind.REQUEST: (_("Say what the report should cover"), TEXT_MAX_LENGTH, _("The text")),
    EntryKind.ANSWER: (_("Enter your answer"), TEXT_MAX_LENGTH, _("The text")),
    EntryKind.MORE: (_("Say what more you need"), TEXT_MAX_LENGTH, _("The text")),
    EntryKind.CLOSE: ("", NOTE_MAX_LENGTH, _("The note")),
    EntryKind.WITHDRAW: ("", NOTE_MAX_LENGTH, _("The note")),
}


def _document_path(instance: "ReportDocument", filename: str) -> str:
    # The stored name is random: the original name is kept in a field and never trusted as a path.
    return f"report-requests/{instance.entry.report_request.partnership_id}/{instance.token}"


class ReportDocument(models.Model):
    """A file attached to an answer. Served only through a view that checks access."""

    entry = models.ForeignKey(
        ReportRequestEntry, on_delete=models.CASCADE, related_name="documents"
    )
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=_document_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["uploaded_at", "pk"]

    def __str__(self) -> str:
        return self.original_name


class CombinationApproval(models.Model):
    """The PCC's approval of a combination of English partnerships of their force area
    (Crime and Disorder Act 1998, s5A). ``partnerships.services.partnership_merge`` requires
    one for English partnerships."""

    police_force_area = models.ForeignKey(
        PoliceForceArea, on_delete=models.PROTECT, related_name="combination_approvals"
    )
    partnerships = models.ManyToManyField(
        Partnership, verbose_name=_("partnerships"), related_name="combination_approvals"
    )
    approved_on = models.DateField(
        _("date of approval"),
        error_messages={
            "null": _("Enter the date of approval"),
            "blank": _("Enter the date of approval"),
        },
    )
    reference = models.CharField(
        _("decision reference"),
        max_length=REFERENCE_MAX_LENGTH,
        error_messages={
            "blank": _("Enter the decision reference"),
            "max_length": too_long(_("The decision reference"), REFERENCE_MAX_LENGTH),
        },
    )
    note = models.TextField(
        _("note"),
        blank=True,
        max_length=NOTE_MAX_LENGTH,
        validators=[MaxLengthValidator(NOTE_MAX_LENGTH)],
        error_messages={"max_length": too_long(_("The note"), NOTE_MAX_LENGTH)},
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    approving_organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="combination_approvals"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-approved_on", "-pk"]

    def __str__(self) -> str:
        return _("Combination approved on %(date)s (%(reference)s)") % {
            "date": self.approved_on.isoformat(),
            "reference": self.reference,
        }
