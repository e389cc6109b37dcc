"""The review's evidence: chronologies and individual management reviews (IMRs) asked of the
partnership's agencies and answered by their named authors, and the documents attached to it.

Every function asks ReviewPolicy, inside its transaction and after locking, whether the acting
user may do this now: ask (those who run the review, while evidence is open) or answer (an agency
author of the organisation asked, until it is submitted). Audit rows name
the review by its reference and pseudonym and the agency by its organisation's name; never a
person, a file's own name or what an entry says.
"""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from authorities.models import Organisation
from csp_portal import uploads
from csp_portal.dates import check_not_too_far
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked

from ..models import (
    AgencyRequest,
    AgencyRequestKind,
    ChronologyEntry,
    DomesticHomicideReview,
    ReviewDocument,
    ReviewDocumentKind,
)
from ..policies import ReviewPolicy, ReviewVerb

V = ReviewVerb

# An IMR arrives on its agency's request, from its author; everything else is attached here.
ATTACHABLE_KINDS = frozenset(set(ReviewDocumentKind.values) - {ReviewDocumentKind.IMR})


def _locked_request(agency_request: AgencyRequest) -> tuple[DomesticHomicideReview, AgencyRequest]:
    """The review and the request, both locked, re-read inside the transaction."""
    review = locked(agency_request.review, related=("partnership",))
    agency_request = locked(agency_request, related=("organisation",), review=review)
    agency_request.review = review
    return review, agency_request


def agency_request_create(
    *,
    acting_user: User,
    review: DomesticHomicideReview,
    organisation: Organisation,
    kind: str,
    due_date: date,
    submission: Submission | None = None,
) -> AgencyRequest:
    """Someone running the review asks an agency of the partnership for its chronology or IMR."""
    with transaction.atomic():
        submission_claim(submission)
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.REQUEST_EVIDENCE, review)
        errors = {}
        if not review.partnership.partner_organisations.filter(organisation=organisation).exists():
            errors["organisation"] = _("Choose an organisation that sits on this partnership")
        if kind not in AgencyRequestKind.values:
            errors["kind"] = _("Select what the agency is asked for")
        if due_date < timezone.localdate():
            errors["due_date"] = _("The due date must be today or in the future")
        check_not_too_far(errors, "due_date", due_date, years=1)
        if (
            not errors
            and review.agency_requests.filter(organisation=organisation, kind=kind).exists()
        ):
            errors["organisation"] = _("This organisation has already been asked for this")
        if errors:
            raise ValidationError(errors)
        agency_request = AgencyRequest(
            review=review,
            organisation=organisation,
            kind=kind,
            due_date=due_date,
            requested_by=acting_user,
        )
        agency_request.full_clean()
        agency_request.save()
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.agency_request",
            target=review,
            changes={
                "agency_request": [None, f"{agency_request.get_kind_display()}: {organisation}"],
                "due_date": [None, due_date.isoformat()],
            },
        )
    return agency_request


def chronology_entry_add(
    *,
    acting_user: User,
    agency_request: AgencyRequest,
    occurred_on: date,
    description: str,
    submission: Submission | None = None,
) -> ChronologyEntry:
    """An author of the agency asked records one contact or event in its chronology."""
    with transaction.atomic():
        submission_claim(submission)
        review, agency_request = _locked_request(agency_request)
        ReviewPolicy.require_user(acting_user, review.partnership, V.ANSWER_REQUEST, agency_request)
        errors = {}
        if agency_request.kind != AgencyRequestKind.CHRONOLOGY:
            raise ValidationError(_("Entries belong to a chronology, not to an IMR."))
        if occurred_on > timezone.localdate():
            errors["occurred_on"] = _("The date must be today or in the past")
        if not description.strip():
            errors["description"] = _("Say what happened")
        if errors:
            raise ValidationError(errors)
        entry = ChronologyEntry(
            request=agency_request,
            occurred_on=occurred_on,
            description=description.strip(),
            recorded_by=acting_user,
        )
        entry.full_clean()
        entry.save()
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.chronology_entry_add",
            target=review,
            changes={
                "chronology_entry": [
                    None,
                    f"{agency_request.organisation}: {occurred_on.isoformat()}",
                ]
            },
        )
    return entry


def _store(
    *,
    acting_user: User,
    review: DomesticHomicideReview,
    kind: str,
    upload: UploadedFile,
    content_type: str,
    agency_request: AgencyRequest | None = None,
) -> ReviewDocument:
    """Saves the file under a random name (its own name is kept only for display)."""
    document = ReviewDocument(
        review=review,
        request=agency_request,
        kind=kind,
        token=secrets.token_hex(16),
        original_name=uploads.display_name(upload.name),
        content_type=content_type,
        size=upload.size,
        uploaded_by=acting_user,
    )
    document.file.save(document.token, upload, save=False)
    try:
        document.save()
    except (IntegrityError, ValidationError):
        document.file.delete(save=False)
        raise
    return document


def imr_upload(
    *,
    acting_user: User,
    agency_request: AgencyRequest,
    upload: UploadedFile,
    submission: Submission | None = None,
) -> ReviewDocument:
    """An author of the agency asked attaches its individual management review."""
    content_type = uploads.checked_content_type(upload)
    with transaction.atomic():
        submission_claim(submission)
        review, agency_request = _locked_request(agency_request)
        ReviewPolicy.require_user(acting_user, review.partnership, V.ANSWER_REQUEST, agency_request)
        if agency_request.kind != AgencyRequestKind.IMR:
            raise ValidationError(_("Only an IMR request takes an IMR document."))
        document = _store(
            acting_user=acting_user,
            review=review,
            kind=ReviewDocumentKind.IMR,
            upload=upload,
            content_type=content_type,
            agency_request=agency_request,
        )
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.document_add",
            target=review,
            changes={"document": [None, f"{document.get_kind_display()}: {document.pk}"]},
        )
    return document


def agency_request_submit(*, acting_user: User, agency_request: AgencyRequest) -> AgencyRequest:
    """An author hands in the agency's chronology (with its entries) or IMR (with its document)."""
    with transaction.atomic():
        review, agency_request = _locked_request(agency_request)
        ReviewPolicy.require_user(acting_user, review.partnership, V.ANSWER_REQUEST, agency_request)
        if agency_request.kind == AgencyRequestKind.CHRONOLOGY:
            if not agency_request.entries.exists():
                raise ValidationError(_("Add at least one entry before submitting."))
        elif not agency_request.documents.exists():
            raise ValidationError(_("Upload the IMR document before submitting."))
        agency_request.submitted_at = timezone.now()
        agency_request.save(update_fields=["submitted_at"])
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.agency_request_submit",
            target=review,
            changes={
                "agency_request": [
                    None,
                    f"{agency_request.get_kind_display()}: {agency_request.organisation}",
                ]
            },
        )
    return agency_request


def review_document_upload(
    *,
    acting_user: User,
    review: DomesticHomicideReview,
    kind: str,
    upload: UploadedFile,
    submission: Submission | None = None,
) -> ReviewDocument:
    """Someone running the review attaches a document (the overview report, terms of reference,
    …)."""
    if kind not in ATTACHABLE_KINDS:
        raise ValidationError({"kind": _("Select what the document is")})
    content_type = uploads.checked_content_type(upload)
    with transaction.atomic():
        submission_claim(submission)
        review = locked(review, related=("partnership",))
        ReviewPolicy.require_user(acting_user, review.partnership, V.UPLOAD_DOCUMENT, review)
        document = _store(
            acting_user=acting_user,
            review=review,
            kind=kind,
            upload=upload,
            content_type=content_type,
        )
        audit_record(
            acting_user=acting_user,
            partnership=review.partnership,
            action="review.document_add",
            target=review,
            changes={"document": [None, f"{document.get_kind_display()}: {document.pk}"]},
        )
    return document
