"""Celery entry points of the retention app."""

from celery import shared_task

from .services import retention_apply


@shared_task(acks_late=True)
def apply_retention() -> dict[str, int]:
    """Daily (beat, CSP_RETENTION_RUN_AT): delete what is past its time in the schedule."""
    return retention_apply().counts
