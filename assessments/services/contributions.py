"""Changes to contribution requests: the coordinator asks partner organisations, the
organisations' people write and hand in their answers, and the coordinator accepts, returns or
withdraws them. One function per user intent, each in one transaction that locks the request, asks
ContributionPolicy (or, to ask, AssessmentPolicy) whether the acting user may do it now, and writes
the audit event."""

import secrets
from datetime import date
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import Organisation
from csp_portal import uploads
from csp_portal.concurrency import stale_edit_error
from csp_portal.dates import check_not_too_far
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition

from ..models import (
    CONTRIBUTION_TRANSITIONS,
    ContributionDocument,
    ContributionFigure,
    ContributionRequest,
    ContributionStatus,
    StrategicAssessment,
)
from ..policies import AssessmentPolicy, AssessmentVerb, ContributionPolicy, ContributionVerb


def _require(
    acting_user: User, verb: ContributionVerb, contribution: ContributionRequest
) -> ContributionRequest:
    """``contribution`` read again under a row lock, once ContributionPolicy lets
    ``acting_user`` do ``verb`` to it now."""
    contribution = locked(
        contribution, related=("assessment", "partnership", "organisation", "updated_by")
    )
    ContributionPolicy.require_user(acting_user, contribution.partnership, verb, contribution)
    return contribution


def contribution_requests_send(
    *,
    acting_user: User,
    assessment: StrategicAssessment,
    organisations: list[Organisation],
    title: str,
    questions: str,
    data_requested: str,
    due_date: date,
    link: str = "",
    submission: Submission | None = None,
) -> list[ContributionRequest]:
    """Ask each organisation the same questions. Each request is answerable by its organisation."""
    errors = {}
    if due_date < timezone.localdate():
        errors["due_date"] = _("The due date must be today or in the future")
    check_not_too_far(errors, "due_date", due_date, years=1)
    if not organisations:
        errors["organisations"] = _("Select at least one organisation")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        submission_claim(submission)
        assessment = locked(assessment, related=("partnership",))
        AssessmentPolicy.require_user(
            acting_user, assessment.partnership, AssessmentVerb.REQUEST_CONTRIBUTIONS, assessment
        )
        seated = set(
            assessment.partnership.partner_organisations.values_list("organisation_id", flat=True)
        )
        if any(organisation.pk not in seated for organisation in organisations):
            raise ValidationError(
                {"organisations": _("Select organisations that sit on this partnership")}
            )
        created = []
        for organisation in organisations:
            request = ContributionRequest(
                assessment=assessment,
                partnership=assessment.partnership,
                organisation=organisation,
                title=title.strip(),
                questions=questions.strip(),
                data_requested=data_requested.strip(),
                due_date=due_date,
                requested_by=acting_user,
                updated_by=acting_user,
            )
            request.full_clean()
            request.save()
            ContributionPolicy.grant(request)
            audit_record(
                acting_user=acting_user,
                partnership=assessment.partnership,
                action="contribution.request",
                target=request,
                changes={"organisation": [None, organisation.name], "due_date": [None, due_date]},
            )
            created.append(request)
            # In this transaction: the announcements commit with the requests (see below).
            contribution_request_notify(contribution_id=request.pk, link=link)
    return created


def contribution_request_notify(*, contribution_id: int, link: str = "") -> int:
    """Tell the people who answer for the organisation about the request, once: one
    notification each in the reminders outbox, which also shows in the app. Returns how many
    people were told (0 when it was done already or the request no longer waits for an answer).

    Nobody acts here (the sending service and the outbox task call it), so no policy is asked:
    it only announces a request that was allowed to be made.

    The rows are written in the caller's transaction and emailed after commit (or in the
    person's daily digest); a broker outage only delays them (the outbox flush sends them), and
    a retried email never reaches anyone twice.
    """
    from reminders.services import notifications_announce

    from ..deadlines import contribution_items

    with transaction.atomic():
        contribution = (
            ContributionRequest.objects.select_for_update(of=("self",))
            .filter(pk=contribution_id, notified_at__isnull=True)
            .first()
        )
        if contribution is None or not contribution.is_awaiting_answer:
            return 0
        told = notifications_announce(
            items=contribution_items(ContributionRequest.objects.filter(pk=contribution.pk)),
            link=link,
        )
        contribution.notified_at = timezone.now()
        contribution.save(update_fields=["notified_at"])
    return told


def contribution_save(
    *,
    acting_user: User,
    contribution: ContributionRequest,
    revision: int,
    answer: str,
    figures: list[tuple[str, Decimal, str]],
) -> ContributionRequest:
    """Save a draft answer and its figures; the organisation can come back to it. Saving starts
    (or restarts, after a return) the organisation's work on it."""
    with transaction.atomic():
        contribution = _require(acting_user, ContributionVerb.ANSWER, contribution)
        if contribution.revision != revision:
            raise stale_edit_error(contribution.updated_by, contribution.updated_at)
        before_figures = [str(figure) for figure in contribution.figures.all()]
        contribution.figures.all().delete()
        ContributionFigure.objects.bulk_create(
            ContributionFigure(
                contribution=contribution, label=label, value=value, unit=unit, position=index
            )
            for index, (label, value, unit) in enumerate(figures, start=1)
        )
        after_figures = [str(figure) for figure in contribution.figures.all()]
        fields = {
            "answer": answer.strip(),
            "revision": contribution.revision + 1,
            "updated_by": acting_user,
        }
        changes = {
            "answer": [contribution.answer, fields["answer"]],
            "figures": [before_figures, after_figures],
        }
        if contribution.status != ContributionStatus.IN_PROGRESS:
            return transition(
                contribution,
                ContributionStatus.IN_PROGRESS,
                transitions=CONTRIBUTION_TRANSITIONS,
                acting_user=acting_user,
                action="contribution.save",
                audit_changes=changes,
                **fields,
            )
        # Already in progress: no move, the same audit event.
        for name, value in fields.items():
            setattr(contribution, name, value)
        contribution.save()
        audit_record(
            acting_user=acting_user,
            partnership=contribution.partnership,
            action="contribution.save",
            target=contribution,
            changes={"status": [contribution.status, contribution.status], **changes},
        )
    return contribution


def contribution_answer_copy(
    *, acting_user: User, contribution: ContributionRequest, source: ContributionRequest
) -> ContributionRequest:
    """ "Copy my answer from another partnership's request": the answer and figures of
    ``source`` (a request to the same organisation that ``acting_user`` also answers) replace
    this draft's. Asked of the policy for both: a request they may not answer is not theirs to
    copy from (PermissionDenied, which the page answers with 404)."""
    with transaction.atomic():
        contribution = _require(acting_user, ContributionVerb.ANSWER, contribution)
        if not (
            ContributionPolicy.can_answer(acting_user, source)
            and source.organisation_id == contribution.organisation_id
            and source.pk != contribution.pk
        ):
            raise PermissionDenied
        figures = [(f.label, f.value, f.unit) for f in source.figures.all()]
        contribution = contribution_save(
            acting_user=acting_user,
            contribution=contribution,
            revision=contribution.revision,
            answer=source.answer,
            figures=figures,
        )
        audit_record(
            acting_user=acting_user,
            partnership=contribution.partnership,
            action="contribution.copy",
            target=contribution,
            changes={"copied_from": [None, f"{source.partnership.name}: {source.title}"]},
        )
    return contribution


def contribution_submit(
    *, acting_user: User, contribution: ContributionRequest
) -> ContributionRequest:
    with transaction.atomic():
        contribution = _require(acting_user, ContributionVerb.ANSWER, contribution)
        if not contribution.answer.strip():
            raise ValidationError(_("Write an answer before you submit the contribution."))
        now = timezone.now()
        return transition(
            contribution,
            ContributionStatus.SUBMITTED,
            transitions=CONTRIBUTION_TRANSITIONS,
            acting_user=acting_user,
            action="contribution.submit",
            audit_changes={"submitted_at": [None, now], "submitted_by": [None, acting_user]},
            submitted_at=now,
            submitted_by=acting_user,
            updated_by=acting_user,
        )


def contribution_accept(
    *, acting_user: User, contribution: ContributionRequest
) -> ContributionRequest:
    with transaction.atomic():
        contribution = _require(acting_user, ContributionVerb.ACCEPT, contribution)
        now = timezone.now()
        return transition(
            contribution,
            ContributionStatus.ACCEPTED,
            transitions=CONTRIBUTION_TRANSITIONS,
            acting_user=acting_user,
            action="contribution.accept",
            audit_changes={"decided_at": [None, now], "decided_by": [None, acting_user]},
            decided_at=now,
            decided_by=acting_user,
            updated_by=acting_user,
        )


def contribution_return(
    *, acting_user: User, contribution: ContributionRequest, comment: str
) -> ContributionRequest:
    """Send a submitted contribution back with a comment; the organisation can edit it again."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the organisation needs to change")})
    with transaction.atomic():
        contribution = _require(acting_user, ContributionVerb.RETURN, contribution)
        now, comment = timezone.now(), comment.strip()
        return transition(
            contribution,
            ContributionStatus.RETURNED,
            transitions=CONTRIBUTION_TRANSITIONS,
            acting_user=acting_user,
            action="contribution.return",
            audit_changes={
                "decided_at": [None, now],
                "decided_by": [None, acting_user],
                "return_comment": [None, comment],
            },
            decided_at=now,
            decided_by=acting_user,
            return_comment=comment,
            updated_by=acting_user,
        )


def contribution_withdraw(
    *, acting_user: User, contribution: ContributionRequest
) -> ContributionRequest:
    with transaction.atomic():
        contribution = _require(acting_user, ContributionVerb.WITHDRAW, contribution)
        return transition(
            contribution,
            ContributionStatus.WITHDRAWN,
            transitions=CONTRIBUTION_TRANSITIONS,
            acting_user=acting_user,
            action="contribution.withdraw",
            audit_changes={},
            updated_by=acting_user,
        )


def contribution_document_add(
    *,
    acting_user: User,
    contribution: ContributionRequest,
    upload: UploadedFile,
    submission: Submission | None = None,
) -> ContributionDocument:
    content_type = uploads.checked_content_type(upload)
    with transaction.atomic():
        submission_claim(submission)
        contribution = _require(acting_user, ContributionVerb.ANSWER, contribution)
        if contribution.documents.count() >= settings.CSP_DOCUMENTS_PER_CONTRIBUTION:
            raise ValidationError(
                {
                    "file": _("A contribution can have at most %(count)s documents")
                    % {"count": settings.CSP_DOCUMENTS_PER_CONTRIBUTION}
                }
            )
        document = ContributionDocument(
            contribution=contribution,
            token=secrets.token_hex(16),
            original_name=uploads.display_name(upload.name),
            content_type=content_type,
            size=upload.size,
            uploaded_by=acting_user,
        )
        document.file.save(document.token, upload, save=False)
        try:
            document.save()
        except Exception:
            document.file.delete(save=False)
            raise
        audit_record(
            acting_user=acting_user,
            partnership=contribution.partnership,
            action="contribution.document_add",
            target=contribution,
            changes={"document": [None, document.original_name]},
        )
    return document


def contribution_document_remove(*, acting_user: User, document: ContributionDocument) -> None:
    with transaction.atomic():
        contribution = _require(acting_user, ContributionVerb.ANSWER, document.contribution)
        name, file = document.original_name, document.file
        document.delete()
        # The file goes only once the row is gone for good.
        transaction.on_commit(lambda: file.delete(save=False))
        audit_record(
            acting_user=acting_user,
            partnership=contribution.partnership,
            action="contribution.document_remove",
            target=contribution,
            changes={"document": [name, None]},
        )
