"""The outbox of reminders, which is also each person's list of notifications in the app, their
choice of email frequency, and a record of each sweep."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    # Tried REMINDERS_MAX_ATTEMPTS times; the notification still shows in the app.
    FAILED = "failed", _("Could not be sent")
    # The item stopped being due (answered, approved, withdrawn) before the email went.
    CANCELLED = "cancelled", _("No longer due")
    # Another notification already told the person (a new request covers its first reminder).
    COVERED = "covered", _("Covered by another notification")


# What a person sees in the app: everything but what was never meant for them.
VISIBLE_STATUSES = frozenset(
    {
        DeliveryStatus.PENDING,
        DeliveryStatus.SENDING,
        DeliveryStatus.SENT,
        DeliveryStatus.FAILED,
    }
)


class Notification(models.Model):
    """One message to one person about one item at one stage ("due in 7 days", "overdue").

    The unique constraint is what makes a doubled, retried or concurrent sweep harmless: the
    sweep inserts with ``ignore_conflicts`` and the database keeps one row. Sending claims rows
    (see ``reminders.outbox``), so each row is emailed once; the same row is the notification
    the person reads in the app.
    """

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    partnership = models.ForeignKey(
        Partnership, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=40)
    item_key = models.CharField(max_length=120)
    due_on = models.DateField(_("due date"))
    # "new", a number of days ("14", "7", "1"; configurable), "overdue" or "weekly".
    stage = models.CharField(max_length=16)
    title = models.CharField(_("title"), max_length=300)
    url = models.CharField(max_length=500)
    # The weekly digest's items: [{"kind", "title", "due_on", "url"}].
    details = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    status = models.CharField(
        max_length=16, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    claim_token = models.UUIDField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["item_key", "due_on", "user", "stage"], name="notification_once_per_stage"
            ),
            models.CheckConstraint(
                condition=Q(status__in=DeliveryStatus.values), name="notification_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(status="sent", sent_at__isnull=False) | ~Q(status="sent"),
                name="notification_sent_has_time",
            ),
        ]
        indexes = [
            # What the senders claim.
            models.Index(
                fields=["status", "next_attempt_at"],
                name="notification_outbox",
                condition=Q(status__in=["pending", "sending"]),
            ),
            # The unread count in the header, on every page.
            models.Index(
                fields=["user"], name="notification_unread", condition=Q(read_at__isnull=True)
            ),
            models.Index(fields=["user", "-created_at"], name="notification_list"),
        ]

    def __str__(self) -> str:
        return f"{self.title} ({self.stage}) → {self.user_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class Frequency(models.TextChoices):
    IMMEDIATE = "immediate", _("Send each reminder as it happens")
    DAILY = "daily", _("Send one email a day with all my reminders")


class EmailPreference(models.Model):
    """How a person wants reminder emails. No row means immediate emails."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="reminder_preference",
    )
    frequency = models.CharField(
        _("how often"), max_length=16, choices=Frequency.choices, default=Frequency.IMMEDIATE
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=Q(frequency__in=Frequency.values), name="email_preference_valid"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.frequency}"


class SweepRun(models.Model):
    """When a sweep ran and what it wrote, so that a sweep the scheduler missed is caught up."""

    day = models.DateField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    items = models.PositiveIntegerField(default=0)
    rows_written = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["-started_at"]
        get_latest_by = "started_at"

    def __str__(self) -> str:
        return f"{self.day}: {self.rows_written} written"
