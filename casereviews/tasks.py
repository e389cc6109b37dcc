"""Celery entry points: they take ids and call a service."""

from smtplib import SMTPException

from celery import shared_task

from .services import letter_send, letters_send_unsent


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
    acks_late=True,
)
def send_letter(letter_id: int) -> bool:
    """Email a letter to an applicant. Retried with backoff while the mail server is away."""
    return letter_send(letter_id=letter_id)


@shared_task(ignore_result=True)
def send_unsent_letters() -> int:
    """Letters whose task never reached the broker (beat runs it every few minutes)."""
    return letters_send_unsent()
