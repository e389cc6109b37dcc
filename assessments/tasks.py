from smtplib import SMTPException

from celery import shared_task


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
    acks_late=True,
)
def notify_contribution_requested(contribution_ids: list[int], link: str) -> int:
    """Announce each request to its organisation's people. Requests are now announced in the
    transaction that creates them (through the reminders outbox); this task stays for messages
    queued before that change, and does nothing for a request announced already."""
    from .services.contributions import contribution_request_notify

    return sum(
        contribution_request_notify(contribution_id=contribution_id, link=link)
        for contribution_id in contribution_ids
    )
