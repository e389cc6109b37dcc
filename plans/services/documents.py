"""Making the plan's PDFs: a request queues one render per (plan, kind, content revision); the
Celery task renders it, keeps the file and records its size and pages, or the error.

A document is the cache of one state of one version. Drafts change with every edit (their content
revision moves on, so a new request makes a new document); an approved, published or superseded
version is rendered once and then served. Status changes and sign-offs do not move the content
revision but do change the cover and the governance block, so a document rendered before the
latest of them is out of date and is made again, in the same row (see ``document_is_current``).
"""

import io
import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from pypdf import PdfReader

from accounts.models import User
from audit.services import audit_record
from csp_portal.queue import enqueue_on_commit

from ..documents import document_filename, render_document
from ..models import DocumentKind, DocumentStatus, PartnershipPlan, PlanDocument
from ..selectors.documents import (
    STUCK_AFTER,
    document_for,
    document_is_current,
    document_is_stuck,
    plan_for_rendering,
)
from ..tasks import TRANSIENT_ERRORS, render_plan_document

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000


def plan_document_request(
    *, acting_user: User | None, plan: PartnershipPlan, kind: str
) -> PlanDocument:
    """Ask for the document of the plan as it stands. Reuses a current one (queued, being made or
    ready); queues a render when there is none, when the last one failed or is out of date."""
    if kind not in DocumentKind.values:
        raise ValueError(kind)
    with transaction.atomic():
        plan = PartnershipPlan.objects.select_related("partnership").get(pk=plan.pk)
        # The unique constraint decides between two simultaneous first requests: get_or_create
        # inserts in a savepoint and, when the other one won, reads the row it committed.
        document, created = PlanDocument.objects.get_or_create(
            plan=plan, kind=kind, content_revision=plan.content_revision
        )
        queue = created
        if not created and (
            document.status == DocumentStatus.FAILED
            or document_is_stuck(document)
            or not document_is_current(document, plan)
        ):
            # Failed, lost, or made before a status change or sign-off: make it again, once,
            # however many people ask at the same moment.
            queue = bool(
                PlanDocument.objects.filter(
                    pk=document.pk, status=document.status, requested_at=document.requested_at
                ).update(
                    status=DocumentStatus.QUEUED,
                    error="",
                    requested_at=timezone.now(),
                    started_at=None,
                    finished_at=None,
                )
            )
            document.refresh_from_db()
        if queue:
            if acting_user is not None:
                audit_record(
                    acting_user=acting_user,
                    partnership=plan.partnership,
                    action="plan.document_request",
                    target=plan,
                    changes={"document": [None, f"{kind} r{plan.content_revision}"]},
                )
            # A broker outage must not turn the request into an error page: the document stays
            # queued and counts as stuck after STUCK_AFTER, when asking again re-queues it.
            enqueue_on_commit(render_plan_document, document.pk)
    return document


def plan_document_render(*, document_id: int) -> PlanDocument | None:
    """Render a queued document. Idempotent: a ready document is left as it is, and a second
    delivery of the same task (the broker redelivers after a lost worker) renders it again and
    keeps one file."""
    with transaction.atomic():
        document = PlanDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.READY:
            return document
        document.status = DocumentStatus.RENDERING
        document.started_at = timezone.now()
        document.error = ""
        document.save(update_fields=["status", "started_at", "error"])
    plan = plan_for_rendering(plan_id=document.plan_id)
    try:
        with translation.override(settings.LANGUAGE_CODE):
            pdf = render_document(plan, document.kind)
            filename = document_filename(plan, document.kind)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
    except TRANSIENT_ERRORS:
        raise  # the task retries these
    except Exception as error:
        logger.exception("Rendering plan document %s failed", document_id)
        return plan_document_fail(document_id=document_id, error=f"{type(error).__name__}: {error}")
    name = f"plan-{document.plan_id}-r{document.content_revision}-{filename}"
    return _keep(document_id, pdf, pages, name)


def _keep(document_id: int, pdf: bytes, pages: int, name: str) -> PlanDocument | None:
    with transaction.atomic():
        document = PlanDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.READY:
            # Gone (a later state of the draft was made meanwhile), or another delivery of the
            # task finished first.
            return document
        old = document.file.name if document.file else ""
        document.file.save(name, ContentFile(pdf), save=False)
        document.status = DocumentStatus.READY
        document.size = len(pdf)
        document.pages = pages
        document.finished_at = timezone.now()
        document.save()
        storage = document.file.storage
        stale = [old] if old and old != document.file.name else []
        # Renders of earlier states of a draft are never served again.
        earlier = PlanDocument.objects.filter(
            plan_id=document.plan_id,
            kind=document.kind,
            content_revision__lt=document.content_revision,
        )
        stale += [file for file in earlier.values_list("file", flat=True) if file]
        earlier.delete()
        # Files go once the rows that point at them are gone for good.
        transaction.on_commit(lambda: [storage.delete(file) for file in stale])
    return document


def plan_document_fail(*, document_id: int, error: str) -> PlanDocument | None:
    """Record that a render failed, unless a later attempt has already made it."""
    with transaction.atomic():
        document = PlanDocument.objects.select_for_update().filter(pk=document_id).first()
        if document is None or document.status == DocumentStatus.READY:
            return document
        document.status = DocumentStatus.FAILED
        document.error = error[:ERROR_LENGTH]
        document.finished_at = timezone.now()
        document.save(update_fields=["status", "error", "finished_at"])
    return document


def published_summary_request(*, plan: PartnershipPlan) -> PlanDocument:
    """The public's way to the published summary PDF. Asks for it like a member would, except
    that a failed render is tried again at most once every ``STUCK_AFTER``: anonymous visitors
    must not be able to keep a worker busy with a document that keeps failing."""
    document = document_for(plan=plan, kind=DocumentKind.SUMMARY)
    if (
        document is not None
        and document.status == DocumentStatus.FAILED
        and document.finished_at is not None
        and timezone.now() - document.finished_at < STUCK_AFTER
    ):
        return document
    return plan_document_request(acting_user=None, plan=plan, kind=DocumentKind.SUMMARY)
