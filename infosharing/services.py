"""Every change to the register of information sharing agreements: record one, record its review
(with the next review date), end it. Ending is a ``csp_portal.workflow.transition``."""

from collections.abc import Iterable
from datetime import date, timedelta
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import PartnerOrganisation, Partnership, Seat

from .models import (
    AGREEMENT_TRANSITIONS,
    RETURN_TRANSITIONS,
    AgreementStatus,
    QuarterlyReturn,
    ReturnFigure,
    ReturnStatus,
    SharingAgreement,
)
from .policies import AgreementPolicy, ReturnPolicy, ReturnVerb
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


def quarter_end(year_start: int, quarter: int) -> date:
    """The last day of a quarter of the financial year that starts on 1 April ``year_start``."""
    return {
        1: date(year_start, 6, 30),
        2: date(year_start, 9, 30),
        3: date(year_start, 12, 31),
        4: date(year_start + 1, 3, 31),
    }[quarter]


def statutory_latest(year_start: int, quarter: int) -> date:
    """The last day the law allows for a quarter's return: the end of the next quarter. SI
    2007/1831 reg 3(1) prescribes disclosure "by the end of the information period following
    that to which the information relates", reg 1(2) makes an information period each three
    months from 1 July 2007 (so the financial year's quarters), and reg 4 has it disclosed
    electronically (legislation.gov.uk/uksi/2007/1831, as made)."""
    if quarter == 4:
        return quarter_end(year_start + 1, 1)
    return quarter_end(year_start, quarter + 1)


def returns_open(
    *,
    acting_user: User,
    partnership: Partnership,
    year_start: int,
    quarter: int,
    submission: Submission | None = None,
) -> list[QuarterlyReturn]:
    """A quarter's returns, one due from each responsible authority on the partnership, by
    ``CSP_QUARTERLY_RETURN_DAYS`` after the quarter ends (never later than the law allows:
    ``statutory_latest``); their people are reminded and chased."""
    with transaction.atomic():
        submission_claim(submission)
        ReturnPolicy.require_user(acting_user, partnership, ReturnVerb.OPEN)
        if quarter not in (1, 2, 3, 4):
            raise ValidationError({"quarter": _("Choose a quarter")})
        if QuarterlyReturn.objects.filter(
            partnership=partnership, year_start=year_start, quarter=quarter
        ).exists():
            raise ValidationError(_("That quarter's returns are already open"))
        due = min(
            quarter_end(year_start, quarter) + timedelta(days=settings.CSP_QUARTERLY_RETURN_DAYS),
            statutory_latest(year_start, quarter),
        )
        returns = QuarterlyReturn.objects.bulk_create(
            QuarterlyReturn(
                partnership=partnership,
                organisation=partner,
                year_start=year_start,
                quarter=quarter,
                due_date=due,
            )
            for partner in partnership.partner_organisations.filter(
                seat__in=[seat.value for seat in Seat.statutory()]
            ).order_by("seat", "pk")
        )
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="infosharing.returns.open",
            target=partnership,
            changes={
                "quarter": [None, f"{year_start} Q{quarter}"],
                "returns": [None, len(returns)],
            },
        )
    return returns


def return_submit(
    *,
    acting_user: User,
    quarterly_return: QuarterlyReturn,
    figures: list[tuple[str, Decimal, str]],
    submission: Submission | None = None,
) -> QuarterlyReturn:
    """The organisation's depersonalised figures for the quarter: sent once."""
    with transaction.atomic():
        submission_claim(submission)
        quarterly_return = locked(quarterly_return, related=["partnership", "organisation"])
        ReturnPolicy.require_user(
            acting_user, quarterly_return.partnership, ReturnVerb.SUBMIT, quarterly_return
        )
        if not figures:
            raise ValidationError({"figures": _("Enter at least one figure")})
        transition(
            quarterly_return,
            ReturnStatus.SUBMITTED,
            transitions=RETURN_TRANSITIONS,
            acting_user=acting_user,
            action="infosharing.return.submit",
            audit_changes={"figures": [None, len(figures)]},
            submitted_at=timezone.now(),
            submitted_by=acting_user,
        )
        ReturnFigure.objects.bulk_create(
            ReturnFigure(
                quarterly_return=quarterly_return,
                label=label,
                value=value,
                unit=unit,
                position=position,
            )
            for position, (label, value, unit) in enumerate(figures)
        )
    return quarterly_return
