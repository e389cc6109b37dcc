"""Every change to the register of information sharing agreements: record one, record its review
(with the next review date), end it. Ending is a ``csp_portal.workflow.transition``."""

from collections.abc import Iterable
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import PartnerOrganisation, Partnership

from .models import AGREEMENT_TRANSITIONS, AgreementStatus, SharingAgreement
from .policies import AgreementPolicy
from .policies import AgreementVerb as V


def _not_in_future(value: date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("The date must be today or in the past")})


def _review_after(review_due: date, after: date) -> None:
    if review_due <= after or review_due <= timezone.localdate():
        raise ValidationError({"review_due": _("The review date must be in the future")})


def agreement_record(
    *,
    acting_user: User,
    partnership: Partnership,
    title: str,
    parties: Iterable[PartnerOrganisation],
    purpose: str,
    legal_basis: str,
    signed_on: date,
    review_due: date,
    submission: Submission | None = None,
) -> SharingAgreement:
    """An agreement between two or more of the partnership's organisations, in force from the date
    agreed until it is ended, reviewed by ``review_due``."""
    with transaction.atomic():
        submission_claim(submission)
        AgreementPolicy.require_user(acting_user, partnership, V.RECORD)
        parties = list(parties)
        if len(parties) < 2 or any(p.partnership_id != partnership.pk for p in parties):
            raise ValidationError(
                {"parties": _("Choose at least two of the partnership's organisations")}
            )
        _not_in_future(signed_on, "signed_on")
        _review_after(review_due, signed_on)
        agreement = SharingAgreement(
            partnership=partnership,
            title=title,
            purpose=purpose,
            legal_basis=legal_basis,
            signed_on=signed_on,
            review_due=review_due,
            created_by=acting_user,
        )
        agreement.full_clean()
        agreement.save()
        agreement.parties.set(parties)
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="infosharing.agreement.record",
            target=agreement,
            changes={
                "title": [None, title],
                "parties": [None, sorted(p.organisation.name for p in parties)],
                "review_due": [None, review_due.isoformat()],
            },
        )
    return agreement


def agreement_review(
    *, acting_user: User, agreement: SharingAgreement, reviewed_on: date, review_due: date
) -> SharingAgreement:
    """The parties reviewed the agreement and keep it; the next review falls due later."""
    with transaction.atomic():
        agreement = locked(agreement, related=["partnership"])
        AgreementPolicy.require_user(acting_user, agreement.partnership, V.REVIEW, agreement)
        _not_in_future(reviewed_on, "reviewed_on")
        _review_after(review_due, reviewed_on)
        before = agreement.review_due
        agreement.last_reviewed_on = reviewed_on
        agreement.review_due = review_due
        agreement.save(update_fields=["last_reviewed_on", "review_due"])
        audit_record(
            acting_user=acting_user,
            partnership=agreement.partnership,
            action="infosharing.agreement.review",
            target=agreement,
            changes={"review_due": [before.isoformat(), review_due.isoformat()]},
        )
    return agreement


def agreement_end(*, acting_user: User, agreement: SharingAgreement) -> SharingAgreement:
    """The agreement no longer applies: it stays in the register, no longer reminded."""
    with transaction.atomic():
        agreement = locked(agreement, related=["partnership"])
        AgreementPolicy.require_user(acting_user, agreement.partnership, V.END, agreement)
        transition(
            agreement,
            AgreementStatus.ENDED,
            transitions=AGREEMENT_TRANSITIONS,
            acting_user=acting_user,
            action="infosharing.agreement.end",
            ended_on=timezone.localdate(),
        )
    return agreement
