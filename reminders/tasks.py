"""Celery entry points for reminders. Each is idempotent and acknowledged late: a task that is run
twice, retried, or redelivered after its worker died sends nothing twice, because the outbox
decides what goes (see ``reminders.outbox``)."""

from datetime import date

from celery import shared_task
from django.utils import timezone

from csp_portal.queue import enqueue

from . import outbox, sweep


def _retry_in(result: outbox.SendResult) -> float | None:
    if result.retry_at is None:
        return None
    return max((result.retry_at - timezone.now()).total_seconds(), 0) + 0.5


def _same_queue(request) -> dict:
    """Follow-up work goes where the task that asks for it came from."""
    routing_key = (request.delivery_info or {}).get("routing_key")
    return {"queue": routing_key} if routing_key else {}


@shared_task(bind=True, acks_late=True)
def sweep_reminders(self, today: str | None = None) -> dict:
    """The daily sweep (beat), then the sends it made due. ``today`` (ISO date) is for tests and
    the benchmark; the schedule passes nothing."""
    result = sweep.reminders_sweep(today=date.fromisoformat(today) if today else None)
    sent = outbox.outbox_send()
    countdown = _retry_in(sent)
    if countdown is not None and not self.request.is_eager:
        enqueue(send_notifications, None, countdown=countdown, **_same_queue(self.request))
    return {"items": result.items, "written": result.written, "sent": sent.sent}


@shared_task(bind=True, acks_late=True, max_retries=None)
def send_notifications(self, notification_ids: list[int] | None = None) -> int:
    """Email these outbox rows (all ready rows when None). A row whose email failed waits for
    its backoff; this task retries itself then, and the outbox flush is the backstop."""
    result = outbox.outbox_send(ids=notification_ids)
    countdown = _retry_in(result)
    if countdown is not None and not self.request.is_eager:
        raise self.retry(countdown=countdown)
    return result.sent


@shared_task(acks_late=True)
def send_daily_digests() -> int:
    """One email a day to each person who chose the daily digest (beat)."""
    return outbox.digests_send().emails


@shared_task(acks_late=True)
def flush_outbox() -> dict:
    """Every minute (beat): run a sweep the scheduler missed, send whatever is ready (retries,
    rows whose task never reached the broker), retry failed digests, and send invitations and
    account emails (password resets, two-factor changes) whose task was lost while the broker
    was down."""
    from accounts.services import account_emails_send_unsent
    from partnerships.services import invitations_send_unsent

    swept = None
    if sweep.sweep_missed():
        swept = sweep.reminders_sweep().written
    sent = outbox.outbox_send()
    digests = outbox.digests_send(retries_only=True)
    invitations = invitations_send_unsent()
    account_emails = account_emails_send_unsent()
    return {
        "swept": swept,
        "sent": sent.sent,
        "digest_retries": digests.emails,
        "invitations": invitations,
        "account_emails": account_emails,
    }
