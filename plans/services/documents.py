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
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from pypdf import PdfReader

from accounts.models import User
from audit.services import audit_record
from csp_portal.queue import TRANSIENT_ERRORS, enqueue_on_commit, task_named
from csp_portal.workflow import locked

from ..bilingual import ENGLISH, WELSH, MissingWelsh, languages, missing_welsh
from ..documents import document_filename, render_document, summary_languages, summary_snapshot
from ..models import DocumentKind, DocumentStatus, PartnershipPlan, PlanDocument
from ..policies import PlanPolicy, PlanVerb
from ..selectors.documents import (
    DocumentState,
    document_file_exists,
    document_for,
    document_is_current,
    document_is_stuck,
    document_state,
    plan_for_rendering,
    stuck_documents,
)

render_plan_document = task_named("plans.tasks.render_plan_document")

logger = logging.getLogger(__name__)

ERROR_LENGTH = 2000
# The public may have a failed summary made again at most this often.
FAILED_RETRY_AFTER = timedelta(minutes=10)
# Documents the heal looks at in one run; the next run, a minute later, takes the rest.
HEAL_BATCH = 100


def published_summary_freeze(*, plan: PartnershipPlan) -> PartnershipPlan:
    """Freeze the summary of a version published before summaries were frozen at publication (the
    portal itself, for the public page and the summary PDF alike): once, as the plan stands when
    first asked. A version published since has its summary already."""
    if plan.published_summary is not None or plan.published_at is None:
        return plan
    snapshot = summary_snapshot(plan_for_rendering(plan_id=plan.pk))
    PartnershipPlan.objects.filter(pk=plan.pk, published_summary__isnull=True).update(
        published_summary=snapshot
    )
    plan.published_summary = PartnershipPlan.objects.values_list(
        "published_summary", flat=True
    ).get(pk=plan.pk)
    return plan


def welsh_document_missing(*, plan: PartnershipPlan, kind: str) -> list[MissingWelsh]:
    """The texts a Welsh document of ``plan`` waits for (plans.bilingual): it is not offered, and
    not made, while any is missing, rather than made with English in their place. The summary of
    a version published in Welsh is frozen with its Welsh, so it waits for nothing; the full plan
    needs every one of its texts in Welsh, not only those the summary publishes."""
    if kind == DocumentKind.SUMMARY:
        if plan.published_summary is not None and WELSH in summary_languages(plan):
            return []
        return missing_welsh(plan)
    return missing_welsh(plan, full=True)


def plan_document_request(
    *, acting_user: User | None, plan: PartnershipPlan, kind: str, language: str = ENGLISH
) -> PlanDocument:
    """Ask for the document of the plan as it stands, in ``language``. Reuses a current one
    (queued, being made or ready); queues a render when there is none, when the last one failed
    or is out of date. ``acting_user`` None is the portal itself (a version just issued, the
    public summary). Only a Welsh partnership's documents come in Welsh, and only once none of
    their Welsh is missing (``welsh_document_missing``): the refusal names what is."""
    if kind not in DocumentKind.values:
        raise ValueError(kind)
    if language != ENGLISH and language not in languages(plan.partnership):
        raise ValueError(language)
    with transaction.atomic():
        plan = locked(plan, related=["partnership"])
        if acting_user is not None:
            PlanPolicy.require_user(acting_user, plan.partnership, PlanVerb.MAKE_DOCUMENT, plan)
        if language == WELSH and (missing := welsh_document_missing(plan=plan, kind=kind)):
            raise ValidationError(
                _("The Welsh PDF is made once every text it shows has its Welsh. Missing: %(what)s")
                % {"what": "; ".join(str(item.what) for item in missing)},
                code="welsh_missing",
            )
        # The unique constraint decides between two simultaneous first requests: get_or_create
        # inserts in a savepoint and, when the other one won, reads the row it committed.
        document, created = PlanDocument.objects.get_or_create(
            plan=plan, kind=kind, language=language, content_revision=plan.content_revision
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
                    requeued=0,
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
                    changes={"document": [None, f"{kind} {language} r{plan.content_revision}"]},
                )
            # A broker outage must not turn the request into an error page: the document stays
            # queued, and the periodic heal (plan_documents_heal) queues it again.
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
    if document.kind == DocumentKind.SUMMARY:
        plan = published_summary_freeze(plan=plan)
    try:
        # Each document in its own language: its labels, its words and its /Lang.
        language = settings.LANGUAGE_CODE if document.language == ENGLISH else document.language
        with translation.override(language):
            pdf = render_document(plan, document.kind)
            filename = document_filename(plan, document.kind, document.language)
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
            language=document.language,
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


def published_summary_request(*, plan: PartnershipPlan, language: str = ENGLISH) -> PlanDocument:
    """The public's way to the published summary PDF. Asks for it like a member would, except
    that a failed render is tried again at most once every ``FAILED_RETRY_AFTER``: anonymous
    visitors must not be able to keep a worker busy with a document that keeps failing."""
    document = document_for(plan=plan, kind=DocumentKind.SUMMARY, language=language)
    if (
        document is not None
        and document.status == DocumentStatus.FAILED
        and document.finished_at is not None
        and timezone.now() - document.finished_at < FAILED_RETRY_AFTER
    ):
        return document
    return plan_document_request(
        acting_user=None, plan=plan, kind=DocumentKind.SUMMARY, language=language
    )


def plan_document_state(
    *, plan: PartnershipPlan, kind: str, language: str = ENGLISH
) -> DocumentState:
    """What the document pages show and serve. A ready document whose file has gone (the
    database restored without the media folder) is never served: it is made again, and shown
    as being made."""
    state = document_state(plan=plan, kind=kind, language=language)
    if state.ready and not document_file_exists(state.document):
        plan_document_file_lost(document=state.document)
        state = document_state(plan=plan, kind=kind, language=language)
    return state


def plan_document_file_lost(*, document: PlanDocument) -> None:
    """Queue the render of a ready document whose file is missing. Claimed by a conditional
    update: however many people find it at once, it is logged and queued once."""
    with transaction.atomic():
        claimed = PlanDocument.objects.filter(
            pk=document.pk, status=DocumentStatus.READY, finished_at=document.finished_at
        ).update(
            status=DocumentStatus.QUEUED,
            error="",
            requested_at=timezone.now(),
            started_at=None,
            finished_at=None,
            requeued=0,
        )
        if claimed:
            logger.warning(
                "Plan document %s is ready but its file %r is missing; making it again",
                document.pk,
                document.file.name,
            )
            enqueue_on_commit(render_plan_document, document.pk)


def plan_documents_heal() -> int:
    """Every minute (beat): queue again each document whose render was lost, waiting past
    CSP_DOCUMENT_QUEUED_MINUTES (its task never reached the broker) or being made past
    CSP_DOCUMENT_RENDERING_MINUTES (its worker died). One that has been queued again
    CSP_DOCUMENT_REQUEUE_LIMIT times is marked failed instead, for a person to try again: a
    document that kills its worker must not do so for ever. Rendering is idempotent, so the
    original task turning up after all does no harm. Returns how many were queued again."""
    healed = 0
    for document in stuck_documents()[:HEAL_BATCH]:
        healed += _heal(document)
    return healed


def _heal(document: PlanDocument) -> bool:
    # The claim: the row is changed only if nobody (another heal, a worker, a person asking)
    # changed it since it was read.
    unchanged = PlanDocument.objects.filter(
        pk=document.pk,
        status=document.status,
        requested_at=document.requested_at,
        started_at=document.started_at,
    )
    now = timezone.now()
    with transaction.atomic():
        if document.requeued >= settings.CSP_DOCUMENT_REQUEUE_LIMIT:
            if unchanged.update(
                status=DocumentStatus.FAILED,
                error=f"Lost: queued again {document.requeued} times and never made",
                finished_at=now,
            ):
                logger.warning("Plan document %s was lost too often; marked failed", document.pk)
            return False
        claimed = unchanged.update(
            status=DocumentStatus.QUEUED,
            requested_at=now,
            started_at=None,
            requeued=F("requeued") + 1,
        )
        if claimed:
            logger.warning(
                "Plan document %s was %s for too long; queued again", document.pk, document.status
            )
            enqueue_on_commit(render_plan_document, document.pk)
    return bool(claimed)
