from smtplib import SMTPException

from celery import shared_task

from .services import invitation_send


@shared_task(
    autoretry_for=(SMTPException, ConnectionError, TimeoutError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=10,
    acks_late=True,
)
def send_invitation(invitation_id: int, link: str, link_hash: str = "") -> bool:
    """Email an invitation. Retried with backoff while the mail server is unreachable."""
    return invitation_send(invitation_id=invitation_id, link=link, link_hash=link_hash)
