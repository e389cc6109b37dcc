"""Celery entry points of the plans app: they take ids and call services."""

from celery import Task, shared_task

from csp_portal.queue import TRANSIENT_ERRORS

from .services.documents import plan_document_fail, plan_document_render, plan_documents_heal


class _RenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries used up: the document says so, instead of waiting for ever."""
        document_id = args[0] if args else kwargs["document_id"]
        plan_document_fail(document_id=document_id, error=f"{type(exc).__name__}: {exc}")


@shared_task(
    base=_RenderTask,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=5,
    acks_late=True,
)
def render_plan_document(document_id: int) -> str:
    """Render one PlanDocument. Safe to run twice: a ready document is not rendered again."""
    document = plan_document_render(document_id=document_id)
    return document.status if document else "missing"


@shared_task(acks_late=True)
def heal_plan_documents() -> int:
    """Every minute (beat): plan PDFs whose render was lost are queued again."""
    return plan_documents_heal()
