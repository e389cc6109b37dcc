"""The plans' numbers on /metrics (csp_portal.metrics), read when scraped."""

from django.db.models import Q

from csp_portal.metrics import register_gauge

from .models import DocumentStatus, PlanDocument
from .selectors.documents import stuck_documents


def register() -> None:
    register_gauge(
        "csp_documents_stuck_rendering",
        "Plan PDFs whose render was lost (waiting or being made past their time).",
        lambda: stuck_documents().count(),
    )
    register_gauge(
        "csp_documents_rendering",
        "Plan PDFs waiting to be made or being made.",
        lambda: PlanDocument.objects.filter(
            Q(status=DocumentStatus.QUEUED) | Q(status=DocumentStatus.RENDERING)
        ).count(),
    )
