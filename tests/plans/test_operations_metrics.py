"""/metrics reads the backlogs when scraped: the outbox and plan PDFs whose render was lost."""

from datetime import timedelta

from django.utils import timezone

from plans.models import DocumentKind, DocumentStatus, PlanDocument
from reminders.models import DeliveryStatus, Notification
from tests.test_operations import TOKEN, _metric, metrics_text


def test_backlogs_are_read_when_scraped(settings, coordinator, published_plan):
    settings.CSP_METRICS_TOKEN = TOKEN
    # Publishing the plan told its people (consultation, sign-off): only this one is left unsent.
    Notification.objects.all().delete()
    Notification.objects.create(
        user=coordinator,
        partnership=published_plan.partnership,
        kind="test",
        item_key="k",
        due_on=timezone.localdate(),
        stage="new",
        title="t",
        url="/",
        created_at=timezone.now() - timedelta(hours=2),
        status=DeliveryStatus.PENDING,
    )
    PlanDocument.objects.filter(plan=published_plan).delete()
    document = PlanDocument.objects.create(
        plan=published_plan,
        kind=DocumentKind.PLAN,
        content_revision=published_plan.content_revision,
        status=DocumentStatus.QUEUED,
    )
    PlanDocument.objects.filter(pk=document.pk).update(
        requested_at=timezone.now() - timedelta(hours=1)
    )

    text = metrics_text()
    assert _metric(text, "csp_outbox_backlog ") == 1
    assert 7100 < _metric(text, "csp_outbox_oldest_unsent_seconds ") < 7300
    assert _metric(text, "csp_documents_stuck_rendering ") == 1
    assert _metric(text, "csp_documents_rendering ") == 1
