"""Read paths for the plan's rendered documents and for the public summary.

A member reaches a document only through a plan that ``plans.selectors.plan_for`` let them see;
the public reaches only the published version of a partnership that exists.

A document is the cache of one state of one plan version: its content revision (which every edit
moves on) and, since status changes and sign-offs do not move the revision but do change the
cover and the governance block, the moment it was made. ``document_is_current`` says whether it
still shows the plan as it stands.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, F, Max, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from partnerships.models import Partnership

from ..bilingual import ENGLISH
from ..models import (
    DocumentStatus,
    PartnershipPlan,
    PlanAction,
    PlanDocument,
    PlanPriority,
    PlanStatus,
)
from . import actions_with_detail

PENDING = frozenset({DocumentStatus.QUEUED, DocumentStatus.RENDERING})
NONE = "none"


def _lost_after() -> dict[str, timedelta]:
    """A render waiting or running this long was lost (a broker outage when it was queued, a
    worker killed without redelivery): the heal, or anyone asking again, queues it again."""
    return {
        DocumentStatus.QUEUED: timedelta(minutes=settings.CSP_DOCUMENT_QUEUED_MINUTES),
        DocumentStatus.RENDERING: timedelta(minutes=settings.CSP_DOCUMENT_RENDERING_MINUTES),
    }


def document_for(
    *, plan: PartnershipPlan, kind: str, language: str = ENGLISH
) -> PlanDocument | None:
    """The document of the plan's current content revision in ``language``, whatever its
    state."""
    return PlanDocument.objects.filter(
        plan=plan, kind=kind, language=language, content_revision=plan.content_revision
    ).first()


def documents_stale_since(*, plan: PartnershipPlan) -> datetime:
    """When the plan last changed in a way its content revision does not count: its status (the
    cover, the DRAFT marking, the approval and publication dates) or its sign-offs (the
    governance block). A document made before this is out of date."""
    latest_sign_off = plan.sign_offs.aggregate(latest=Max("signed_at"))["latest"]
    return max(filter(None, [plan.status_changed_at, latest_sign_off]))


def document_is_current(document: PlanDocument | None, plan: PartnershipPlan) -> bool:
    """Whether ``document`` shows ``plan`` as it stands: the same content revision and, once it
    has been made, made after the plan's latest status change and sign-off."""
    if document is None or document.content_revision != plan.content_revision:
        return False
    if document.status in PENDING:
        return True
    return document.started_at is not None and document.started_at >= documents_stale_since(
        plan=plan
    )


def document_is_stuck(document: PlanDocument) -> bool:
    if document.status == DocumentStatus.QUEUED:
        since = document.requested_at
    elif document.status == DocumentStatus.RENDERING:
        since = document.started_at
    else:
        return False
    return since is not None and timezone.now() - since > _lost_after()[document.status]


def stuck_documents() -> QuerySet[PlanDocument]:
    """Every document of a plan's current state whose render was lost, oldest first
    (``document_is_stuck`` as a query). One of an earlier state will never be served: it goes
    when the current one is made."""
    now, lost_after = timezone.now(), _lost_after()
    return PlanDocument.objects.filter(
        Q(status=DocumentStatus.QUEUED, requested_at__lt=now - lost_after[DocumentStatus.QUEUED])
        | Q(
            status=DocumentStatus.RENDERING,
            started_at__lt=now - lost_after[DocumentStatus.RENDERING],
        ),
        content_revision=F("plan__content_revision"),
    ).order_by("pk")


def document_file_exists(document: PlanDocument) -> bool:
    """Whether a ready document's file is where the row says (a restore of the database without
    the media folder leaves rows whose files are gone)."""
    return bool(document.file) and document.file.storage.exists(document.file.name)


@dataclass(frozen=True)
class DocumentState:
    """What the documents page says about one kind of document of one plan version."""

    status: str  # a DocumentStatus, or NONE when nothing current has been asked for
    document: PlanDocument | None
    stuck: bool = False
    # A document was made of this version before its latest change.
    out_of_date: bool = False

    @property
    def pending(self) -> bool:
        return self.status in PENDING and not self.stuck

    @property
    def ready(self) -> bool:
        return self.status == DocumentStatus.READY

    @property
    def can_request(self) -> bool:
        return self.status in {NONE, DocumentStatus.FAILED} or self.stuck


def document_state(*, plan: PartnershipPlan, kind: str, language: str = ENGLISH) -> DocumentState:
    document = document_for(plan=plan, kind=kind, language=language)
    if document_is_current(document, plan):
        return DocumentState(
            status=document.status, document=document, stuck=document_is_stuck(document)
        )
    out_of_date = (
        document is not None
        or PlanDocument.objects.filter(
            plan=plan, kind=kind, language=language, content_revision__lt=plan.content_revision
        ).exists()
    )
    return DocumentState(status=NONE, document=None, out_of_date=out_of_date)


def plan_for_rendering(*, plan_id: int) -> PartnershipPlan:
    """One plan with everything its documents show, in a fixed number of queries. Called by the
    renderer, which works for a request that was authorised when it was made."""
    priorities = PlanPriority.objects.prefetch_related(
        "pcc_priorities",
        Prefetch("actions", queryset=actions_with_detail(PlanAction.objects.all())),
    )
    return (
        PartnershipPlan.objects.select_related("partnership", "partnership__police_force_area")
        .prefetch_related("sections", Prefetch("priorities", queryset=priorities), "sign_offs")
        .get(pk=plan_id)
    )


def public_partnership(*, slug: str) -> Partnership | None:
    return Partnership.objects.filter(slug=slug).first()


def partnerships_with_published_plan(*, search: str = "") -> QuerySet[Partnership]:
    """Partnerships with a published plan, by name; those whose name contains ``search``."""
    published = PartnershipPlan.objects.filter(
        partnership=OuterRef("pk"), status=PlanStatus.PUBLISHED
    )
    partnerships = Partnership.objects.filter(Exists(published))
    if search:
        partnerships = partnerships.filter(name__icontains=search)
    return partnerships.order_by("name")
