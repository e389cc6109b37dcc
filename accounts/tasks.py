from smtplib import SMTPException

from celery import shared_task

from .services import account_email_send


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
    acks_late=True,
)
def send_account_email(account_email_id: int) -> bool:
    """Send an email about a person's own account (a password reset link, a two-factor change).
    Retried with backoff while the mail server is unreachable."""
    return account_email_send(account_email_id=account_email_id)
