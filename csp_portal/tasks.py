"""Celery entry points of the shared machinery."""

from celery import shared_task


@shared_task(acks_late=True)
def expire_submissions() -> int:
    """Hourly (beat): forget the forms acted on long ago (csp_portal.submissions)."""
    from .submissions import submissions_expire

    return submissions_expire()


@shared_task(acks_late=True)
def expire_kept_text() -> int:
    """Hourly (beat): forget forms kept over an expired session, and old drafts."""
    from .kept import kept_text_expire

    return kept_text_expire()
