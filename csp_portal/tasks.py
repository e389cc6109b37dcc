"""Celery entry points of the shared machinery."""

from celery import shared_task


@shared_task(acks_late=True)
def expire_submissions() -> int:
    """Hourly (beat): forget the forms acted on long ago (csp_portal.submissions)."""
    from .submissions import submissions_expire

    return submissions_expire()
