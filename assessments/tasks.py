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
    """Email each new request's organisation. Safe to retry: a request is announced once."""
    from .services import contribution_request_notify

    return sum(
        contribution_request_notify(contribution_id=contribution_id, link=link)
        for contribution_id in contribution_ids
    )
