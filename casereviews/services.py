"""Every change to an ASB case review (Anti-social Behaviour, Crime and Policing Act 2014, s104):
one function per intent, in one transaction, the policy asked after the row is locked, audited,
and each letter to the applicant stored and emailed after commit.

The audit log names a case by its reference only: the applicant's details never reach it.
"""

import uuid
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from accounts.models import User
from audit.services import audit_record
from authorities.models import Organisation
from csp_portal.languages import Language, recipient_language
from csp_portal.logs import email_headers
from csp_portal.mail import subject_line
from csp_portal.queue import enqueue_on_commit, task_named
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, locked_rows, transition
from partnerships.hooks import MembershipChange
from partnerships.models import Membership, PartnerOrganisation, Partnership

from .models import (
    CASE_TRANSITIONS,
    PROCEDURE_FIELDS,
    AgencyResponse,
    CaseAccessGrant,
    CaseLetter,
    CaseReadLog,
    CaseRecommendation,
    CaseReview,
    CaseStatus,
    LetterKind,
    ReviewProcedure,
)
from .policies import CasePolicy, CaseVerb, case_runners

V = CaseVerb
RUNS = CaseAccessGrant.Reason.COORDINATOR


# The procedure -------------------------------------------------------------------------------


@transaction.atomic
def procedure_save(
    *,
    acting_user: User,
    partnership: Partnership,
    publish: bool,
    submission: Submission | None = None,
    **fields,
) -> ReviewProcedure:
    """Keep the partnership's review procedures (s104(2)), and publish them on its public page
    (s104(2)(b)) or take them down."""
    submission_claim(submission)
    CasePolicy.require_user(acting_user, partnership, V.MANAGE_PROCEDURE)
    procedure = ReviewProcedure.objects.select_for_update().filter(partnership=partnership).first()
    before = {name: getattr(procedure, name, None) for name in PROCEDURE_FIELDS}
    was_published = bool(procedure and procedure.published_at)
    procedure = procedure or ReviewProcedure(partnership=partnership)
    for name in PROCEDURE_FIELDS:
        setattr(procedure, name, fields[name])
    if publish and not procedure.published_at:
        procedure.published_at = timezone.now()
    elif not publish:
        procedure.published_at = None
    procedure.full_clean()
    procedure.save()
    changes = {name: [before[name], fields[name]] for name in PROCEDURE_FIELDS}
    changes = {name: pair for name, pair in changes.items() if pair[0] != pair[1]}
    if was_published != publish:
        changes["published"] = [was_published, publish]
    audit_record(
        acting_user=acting_user,
        partnership=partnership,
        action="case_review_procedure.save",
        target=procedure,
        changes=changes,
    )
    return procedure


# The application -----------------------------------------------------------------------------


class AlreadyApplied(Exception):
    """The same form was sent before: ``case`` is the application it made."""

    def __init__(self, case: CaseReview):
        super().__init__(case.reference)
        self.case = case


def source_hash(address: str | None) -> str:
    """A keyed hash of a client's address: enough to count its applications, not to know it."""
    return salted_hmac("casereviews.source", address or "", algorithm="sha256").hexdigest()


def application_limit_reached(*, source: str, now=None) -> bool:
    """Whether this address has sent ``CSP_CASE_REVIEW_APPLICATIONS_PER_HOUR`` applications in
    the last hour, to any partnership."""
    since = (now or timezone.now()) - timedelta(hours=1)
    recent = CaseReview.objects.filter(source_hash=source, received_at__gte=since)
    return recent.count() >= settings.CSP_CASE_REVIEW_APPLICATIONS_PER_HOUR


def application_submit(
    *,
    partnership: Partnership,
    token: uuid.UUID,
    details: dict,
    language: str = "",
    source: str = "",
    now=None,
) -> CaseReview:
    """An application for an ASB case review (s104(1)(a)) made on the public form, by anyone.

    Passed at once to everyone who runs the partnership's cases (s104(3)(b)): each is granted
    it. The applicant gets a reference and an acknowledgement by email. The form's one-time
    ``token`` is unique: the same form sent twice raises ``AlreadyApplied`` with the first."""
    now = now or timezone.now()
    if earlier := CaseReview.objects.filter(submission_token=token).first():
        raise AlreadyApplied(earlier)
    # ``source`` is blank only outside a request (the demo seed): nothing to count then.
    if source and application_limit_reached(source=source, now=now):
        raise ValidationError(
            _("Too many applications have been sent from here in the last hour. Try again later."),
            code="rate_limited",
        )
    try:
        with transaction.atomic():
            # Numbering waits on the procedure's row: two applications never share a reference.
            procedure = locked(
                ReviewProcedure.objects.get(partnership=partnership, published_at__isnull=False)
            )
            year = now.year
            count = CaseReview.objects.filter(
                partnership=partnership, reference__startswith=f"ASB-{year}-"
            ).count()
            case = CaseReview(
                partnership=partnership,
                reference=f"ASB-{year}-{count + 1:04d}",
                submission_token=token,
                source_hash=source,
                received_at=now,
                status_changed_at=now,
                applicant_language=language if language in Language.values else "",
                **details,
            )
            case.full_clean(exclude=["submission_token"])
            case.save()
            CaseAccessGrant.objects.bulk_create(
                CaseAccessGrant(case=case, user_id=runner.user_id, reason=RUNS)
                for runner in case_runners(partnership)
            )
            audit_record(
                acting_user=None,
                partnership=partnership,
                action="case_review.apply",
                target=case,
                changes={"reference": [None, case.reference]},
            )
            _letter(case, LetterKind.ACKNOWLEDGEMENT, procedure=procedure)
    except IntegrityError:
        earlier = CaseReview.objects.filter(submission_token=token).first()
        if earlier is None:
            raise
        raise AlreadyApplied(earlier) from None
    return case


def case_read(*, user: User, case: CaseReview, what: str) -> None:
    """Log a read of the case's personal data; every page that shows it calls this."""
    CaseReadLog.objects.create(case=case, user=user, user_label=user.email, what=what[:200])


# The threshold decision, the review and the outcome -----------------------------------------


@transaction.atomic
def threshold_decide(
    *,
    acting_user: User,
    case: CaseReview,
    met: bool,
    reasons: str,
    submission: Submission | None = None,
) -> CaseReview:
    """Record whether the threshold for a review is met, with reasons, and tell the applicant
    (s104(6)). Where the applicant reports at least the procedure's number of qualifying
    complaints, s104(4) says it is met: "not met" then needs reasons why they do not qualify."""
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.DECIDE_THRESHOLD, case)
    if not reasons.strip():
        raise ValidationError({"reasons": _("Give the reasons for the decision.")})
    to = CaseStatus.UNDER_REVIEW if met else CaseStatus.THRESHOLD_NOT_MET
    transition(
        case,
        to,
        transitions=CASE_TRANSITIONS,
        acting_user=acting_user,
        action="case_review.threshold",
        audit_changes={"threshold_met": [None, met]},
        threshold_met=met,
        threshold_reasons=reasons,
        threshold_decided_at=timezone.now(),
    )
    _letter(case, LetterKind.THRESHOLD)
    return case


@transaction.atomic
def meeting_record(
    *,
    acting_user: User,
    case: CaseReview,
    meeting_date: date,
    findings: str,
    submission: Submission | None = None,
) -> CaseReview:
    """The multi-agency review meeting: when it met and what it found."""
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.RECORD_REVIEW, case)
    if meeting_date > timezone.localdate():
        raise ValidationError({"meeting_date": _("The meeting date must be today or earlier.")})
    before = case.meeting_date
    case.meeting_date = meeting_date
    case.findings = findings
    case.save(update_fields=["meeting_date", "findings"])
    audit_record(
        acting_user=acting_user,
        partnership=case.partnership,
        action="case_review.meeting",
        target=case,
        changes={"meeting_date": [before, meeting_date]},
    )
    return case


def _organisation_on_partnership(case: CaseReview, organisation: Organisation) -> None:
    if not PartnerOrganisation.objects.filter(
        partnership_id=case.partnership_id, organisation=organisation
    ).exists():
        raise ValidationError(_("Choose an organisation that sits on this partnership."))


@transaction.atomic
def response_record(
    *,
    acting_user: User,
    case: CaseReview,
    organisation: Organisation,
    response: str,
    submission: Submission | None = None,
) -> AgencyResponse:
    """One agency's response to the review (replacing what it said before)."""
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.RECORD_REVIEW, case)
    _organisation_on_partnership(case, organisation)
    row, _created = AgencyResponse.objects.update_or_create(
        case=case,
        organisation=organisation,
        defaults={"response": response, "recorded_by": acting_user},
    )
    audit_record(
        acting_user=acting_user,
        partnership=case.partnership,
        action="case_review.response",
        target=row,
        changes={"organisation": [None, organisation.name]},
    )
    return row


@transaction.atomic
def recommendation_add(
    *,
    acting_user: User,
    case: CaseReview,
    recommendation: str,
    owner: Organisation,
    due_date: date,
    submission: Submission | None = None,
) -> CaseRecommendation:
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.RECORD_REVIEW, case)
    _organisation_on_partnership(case, owner)
    if due_date < timezone.localdate():
        raise ValidationError({"due_date": _("The due date must be today or later.")})
    row = CaseRecommendation.objects.create(
        case=case, recommendation=recommendation, owner=owner, due_date=due_date
    )
    audit_record(
        acting_user=acting_user,
        partnership=case.partnership,
        action="case_review.recommendation_add",
        target=row,
        changes={"owner": [None, owner.name], "due_date": [None, due_date]},
    )
    return row


@transaction.atomic
def recommendation_complete(
    *,
    acting_user: User,
    recommendation: CaseRecommendation,
    submission: Submission | None = None,
) -> CaseRecommendation:
    submission_claim(submission)
    case = locked(recommendation.case)
    row = locked(recommendation, case=case)
    row.case = case
    CasePolicy.require_user(acting_user, case.partnership, V.COMPLETE_RECOMMENDATION, row)
    row.completed_on = timezone.localdate()
    row.save(update_fields=["completed_on"])
    audit_record(
        acting_user=acting_user,
        partnership=case.partnership,
        action="case_review.recommendation_complete",
        target=row,
        changes={"completed_on": [None, row.completed_on]},
    )
    return row


@transaction.atomic
def case_conclude(
    *, acting_user: User, case: CaseReview, submission: Submission | None = None
) -> CaseReview:
    """Tell the applicant the outcome of the review, with its recommendations (s104(7))."""
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.CONCLUDE, case)
    if case.meeting_date is None or not case.findings.strip():
        raise ValidationError(_("Record the review meeting and what it found first."))
    transition(
        case,
        CaseStatus.CONCLUDED,
        transitions=CASE_TRANSITIONS,
        acting_user=acting_user,
        action="case_review.conclude",
        audit_changes={},
        concluded_at=timezone.now(),
    )
    _letter(case, LetterKind.OUTCOME)
    return case


# The appeal (Schedule 4 para 3) ---------------------------------------------------------------


def appeal_deadline(case: CaseReview, procedure: ReviewProcedure) -> date | None:
    """The last day the applicant may appeal: the procedure's window from the decision or
    outcome they were told of."""
    told = case.concluded_at or case.threshold_decided_at
    if told is None:
        return None
    return timezone.localdate(told) + timedelta(days=procedure.appeal_window_days)


@transaction.atomic
def appeal_record(
    *,
    acting_user: User,
    case: CaseReview,
    received_on: date,
    grounds: str,
    submission: Submission | None = None,
) -> CaseReview:
    """The applicant's appeal, as received by the point of contact."""
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.RECORD_APPEAL, case)
    deadline = appeal_deadline(case, case.partnership.case_review_procedure)
    if received_on > timezone.localdate():
        raise ValidationError({"received_on": _("The date must be today or earlier.")})
    if deadline and received_on > deadline:
        raise ValidationError(
            {
                "received_on": _(
                    "The procedure allows appeals until %(date)s: this one came too late."
                )
                % {"date": date_format(deadline, "j F Y")}
            }
        )
    return transition(
        case,
        CaseStatus.APPEALED,
        transitions=CASE_TRANSITIONS,
        acting_user=acting_user,
        action="case_review.appeal",
        audit_changes={"appeal_received_on": [None, received_on]},
        appeal_received_on=received_on,
        appeal_grounds=grounds,
    )


@transaction.atomic
def appeal_decide(
    *,
    acting_user: User,
    case: CaseReview,
    upheld: bool,
    reasons: str,
    submission: Submission | None = None,
) -> CaseReview:
    """The appeal reviewer's decision, as the procedure names them, and the applicant told."""
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.DECIDE_APPEAL, case)
    transition(
        case,
        CaseStatus.APPEAL_DECIDED,
        transitions=CASE_TRANSITIONS,
        acting_user=acting_user,
        action="case_review.appeal_decide",
        audit_changes={"appeal_upheld": [None, upheld]},
        appeal_upheld=upheld,
        appeal_reasons=reasons,
        appeal_decided_at=timezone.now(),
    )
    _letter(case, LetterKind.APPEAL)
    return case


# Access ---------------------------------------------------------------------------------------


@transaction.atomic
def access_grant(
    *,
    acting_user: User,
    case: CaseReview,
    membership: Membership,
    reason: str,
    submission: Submission | None = None,
) -> CaseAccessGrant:
    submission_claim(submission)
    case = locked(case)
    CasePolicy.require_user(acting_user, case.partnership, V.MANAGE_ACCESS, case)
    if membership.partnership_id != case.partnership_id or not CasePolicy.can_hold(membership):
        raise ValidationError({"membership": _("Choose someone who may be given this case.")})
    grant, created = CaseAccessGrant.objects.get_or_create(
        case=case, user=membership.user, defaults={"reason": reason, "granted_by": acting_user}
    )
    if not created:
        raise ValidationError({"membership": _("They already have access to this case.")})
    audit_record(
        acting_user=acting_user,
        partnership=case.partnership,
        action="case_review.access_grant",
        target=case,
        changes={"access": [None, membership.user.email]},
    )
    return grant


@transaction.atomic
def access_revoke(
    *, acting_user: User, grant: CaseAccessGrant, submission: Submission | None = None
) -> None:
    submission_claim(submission)
    case = locked(grant.case)
    CasePolicy.require_user(acting_user, case.partnership, V.MANAGE_ACCESS, case)
    grant = locked(grant, case=case)
    runners = CaseAccessGrant.objects.filter(case=case, reason=RUNS).exclude(pk=grant.pk)
    if grant.reason == RUNS and not runners.exists():
        raise ValidationError(_("Someone must keep running the case: give another access first."))
    email = grant.user.email
    grant.delete()
    audit_record(
        acting_user=acting_user,
        partnership=case.partnership,
        action="case_review.access_revoke",
        target=case,
        changes={"access": [email, None]},
    )


def case_access_follow_membership(*, acting_user: User | None, change: MembershipChange) -> None:
    """Registered with ``partnerships.hooks``: leaving the partnership, or a role that may not
    hold personal data (scrutiny, a PCC office), ends every grant the person held on its cases,
    audited. A case left with nobody to run it passes to the partnership's coordinators, as a
    new application does, so that none is orphaned."""
    if CasePolicy.role_can_hold(change.role):
        return
    grants = CaseAccessGrant.objects.filter(
        user=change.user, case__partnership=change.partnership
    ).select_related("case")
    ending = list(grants.order_by("case_id", "pk"))
    if not ending:
        return
    cases = {
        case.pk: case
        for case in locked_rows(
            CaseReview.objects.filter(pk__in={grant.case_id for grant in ending})
        )
    }
    for grant in ending:
        grant.delete()
        audit_record(
            acting_user=acting_user,
            partnership=change.partnership,
            action="case_review.access_end",
            target=cases[grant.case_id],
            changes={"access": [change.user.email, None]},
        )
    runners = [m for m in case_runners(change.partnership) if m.user_id != change.user.pk]
    orphaned = [
        case
        for case in cases.values()
        if not CaseAccessGrant.objects.filter(case=case, reason=RUNS).exists()
    ]
    CaseAccessGrant.objects.bulk_create(
        (
            CaseAccessGrant(case=case, user_id=runner.user_id, reason=RUNS)
            for case in orphaned
            for runner in runners
        ),
        ignore_conflicts=True,
    )


# Letters to the applicant ---------------------------------------------------------------------

# Marked for makemessages, translated when the letter is written (in the applicant's language).
LETTER_SUBJECTS = {
    LetterKind.ACKNOWLEDGEMENT: gettext_noop(
        "Your application for an ASB case review: %(reference)s"
    ),
    LetterKind.THRESHOLD: gettext_noop(
        "Your ASB case review %(reference)s: whether the threshold is met"
    ),
    LetterKind.OUTCOME: gettext_noop("Your ASB case review %(reference)s: the outcome"),
    LetterKind.APPEAL: gettext_noop(
        "Your ASB case review %(reference)s: the outcome of your appeal"
    ),
}


def _letter(case: CaseReview, kind: str, *, procedure: ReviewProcedure | None = None) -> None:
    """Write the letter to the applicant (kept as sent) and email it once the change commits."""
    procedure = procedure or case.partnership.case_review_procedure
    context = {
        "case": case,
        "partnership": case.partnership,
        "procedure": procedure,
        "recommendations": list(case.recommendations.select_related("owner")),
        "appeal_by": appeal_deadline(case, procedure),
    }
    # Written in the language the applicant applied in, whoever's action sends it.
    with recipient_language(case.applicant_language):
        letter = CaseLetter.objects.create(
            case=case,
            kind=kind,
            subject=subject_line(_(LETTER_SUBJECTS[kind]) % {"reference": case.reference}),
            body=render_to_string(f"casereviews/email/{kind}.txt", context),
            sent_to=case.applicant_email,
        )
    enqueue_on_commit(task_named("casereviews.tasks.send_letter"), letter.pk)


def letter_send(*, letter_id: int) -> bool:
    """Email one letter unless it has gone already: safe to repeat (the task calls it)."""
    with transaction.atomic():
        letter = (
            CaseLetter.objects.select_for_update(of=("self",))
            .select_related("case__partnership__case_review_procedure")
            .filter(pk=letter_id, sent_at__isnull=True)
            .first()
        )
        if letter is None:
            return False
        procedure = letter.case.partnership.case_review_procedure
        # Kept as written, in the applicant's language (_letter).
        with recipient_language(letter.case.applicant_language):
            message = EmailMessage(
                subject=subject_line(letter.subject),
                body=letter.body,
                to=[letter.sent_to],
                reply_to=[procedure.contact_email],
                headers=email_headers(),
            )
        message.send()
        letter.sent_at = timezone.now()
        letter.save(update_fields=["sent_at"])
    return True


def letters_send_unsent(*, grace: timedelta = timedelta(minutes=5)) -> int:
    """Send the letters whose task never ran (the broker was down): returns how many went."""
    before = timezone.now() - grace
    ids = CaseLetter.objects.filter(sent_at__isnull=True, created_at__lt=before).values_list(
        "pk", flat=True
    )
    return sum(letter_send(letter_id=pk) for pk in list(ids))
