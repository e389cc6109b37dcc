"""The outbox's numbers on /metrics (csp_portal.metrics), read when scraped."""

from django.db.models import Min
from django.utils import timezone

from csp_portal.metrics import register_gauge

from .models import DeliveryStatus, Notification

UNSENT = [DeliveryStatus.PENDING, DeliveryStatus.SENDING]


def _oldest_unsent_seconds() -> float:
    oldest = Notification.objects.filter(status__in=UNSENT).aggregate(Min("created_at"))
    created = oldest["created_at__min"]
    return (timezone.now() - created).total_seconds() if created else 0.0


def register() -> None:
    register_gauge(
        "csp_outbox_backlog",
        "Notification emails not yet sent (waiting, being sent or waiting to retry).",
        lambda: Notification.objects.filter(status__in=UNSENT).count(),
    )
    register_gauge(
        "csp_outbox_oldest_unsent_seconds",
        "Age of the oldest notification email not yet sent, in seconds (0 when none).",
        _oldest_unsent_seconds,
    )
