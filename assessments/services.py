"""Every change to strategic assessments and contributions: one function per user intent, each in
one transaction, each audited. Callers have already resolved the partnership and the role; these
functions re-assert the rules that depend on the record's state."""

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
from partnerships.models import Membership, Partnership, Role

from .models import (
    ASSESSMENT_TRANSITIONS,
    CONTRIBUTION_TRANSITIONS,
    AssessmentSection,
    AssessmentStatus,
    ContributionDocument,
    ContributionFigure,
    ContributionRequest,
    ContributionStatus,
    RecommendedPriority,
    SectionKind,
    StrategicAssessment,
    financial_year_label,
)
from .permissions import ContributionPolicy


def _now():
    return timezone.now()


def _locked(model, pk: int):
    return model.objects.select_for_update().get(pk=pk)


# Strategic assessments -------------------------------------------------------------------------


def assessment_start(
    *,
    acting_user: User,
    partnership: Partnership,
    year_start: int,
    submission: Submission | None = None,
) -> StrategicAssessment:
    """Open the assessment for a financial year, with every section the statutory cycle needs."""
    with transaction.atomic():
        submission_claim(submission)
        if StrategicAssessment.objects.filter(
            partnership=partnership, year_start=year_start
        ).exists():
            raise ValidationError(
                {
                    "year_start": _("There is already a strategic assessment for %(year)s")
                    % {"year": financial_year_label(year_start)}
                }
            )
        assessment = StrategicAssessment.objects.create(
            partnership=partnership, year_start=year_start, created_by=acting_user
        )
        AssessmentSection.objects.bulk_create(
            AssessmentSection(assessment=assessment, kind=kind, updated_by=acting_user)
            for kind in SectionKind.values
        )
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="assessment.start",
            target=assessment,
        )
    return assessment


def _require_editable(assessment: StrategicAssessment) -> None:
    if not assessment.is_editable:
        raise ValidationError(
            _(
                "This assessment is %(status)s and can no longer be changed. "
                "Start a new version to make changes."
            )
            % {"status": assessment.get_status_display().lower()}
            if assessment.is_approved
            else _(
                "This assessment is with the strategy group for review and cannot be changed "
                "until they return it."
            )
        )


def assessment_section_update(
    *,
    acting_user: User,
    section: AssessmentSection,
    revision: int,
    body: str,
    public_meeting_date: date | None = None,
    public_meeting_attendance: int | None = None,
    public_meeting_issues: str = "",
) -> AssessmentSection:
    with transaction.atomic():
        section = (
            AssessmentSection.objects.select_for_update(of=("self",))
            .select_related("assessment", "updated_by")
            .get(pk=section.pk)
        )
        _require_editable(section.assessment)
        if section.revision != revision:
            raise stale_edit_error(section.updated_by, section.updated_at)
        before = {
            "body": section.body,
            "public_meeting_date": section.public_meeting_date,
            "public_meeting_attendance": section.public_meeting_attendance,
            "public_meeting_issues": section.public_meeting_issues,
        }
        section.body = body.strip()
        if section.kind == SectionKind.COMMUNITY:
            section.public_meeting_date = public_meeting_date
            section.public_meeting_attendance = public_meeting_attendance
            section.public_meeting_issues = public_meeting_issues.strip()
        changes = {
            field: [old, getattr(section, field)]
            for field, old in before.items()
            if old != getattr(section, field)
        }
        if not changes:
            return section
        if "public_meeting_date" in changes:
            errors = {}
            check_not_too_far(errors, "public_meeting_date", public_meeting_date, years=1)
            if errors:
                raise ValidationError(errors)
        section.revision += 1
        section.updated_by = acting_user
        section.full_clean()
        section.save()
        audit_record(
            acting_user=acting_user,
            partnership=section.assessment.partnership,
            action="assessment.section_update",
            target=section.assessment,
            changes={f"{section.kind}.{field}": pair for field, pair in changes.items()},
        )
    return section


def priority_save(
    *,
    acting_user: User,
    assessment: StrategicAssessment,
    priority: RecommendedPriority | None = None,
    theme: str,
    rationale: str,
    evidence: str,
    submission: Submission | None = None,
) -> RecommendedPriority:
    """Add a recommended priority, or change one of this assessment's."""
    with transaction.atomic():
        submission_claim(submission)
        assessment = _locked(StrategicAssessment, assessment.pk)
        _require_editable(assessment)
        taken = assessment.priorities.filter(theme=theme)
        if priority is not None:
            taken = taken.exclude(pk=priority.pk)
        if taken.exists():
            raise ValidationError({"theme": _("This theme is already a recommended priority")})
        if priority is None:
            priority = RecommendedPriority(
                assessment=assessment, position=assessment.priorities.count() + 1
            )
            before = {}
        else:
            before = {"theme": priority.theme, "rationale": priority.rationale}
        priority.theme, priority.rationale, priority.evidence = theme, rationale, evidence
        priority.full_clean()
        priority.save()
        audit_record(
            acting_user=acting_user,
            partnership=assessment.partnership,
            action="assessment.priority_save",
            target=assessment,
            changes={
                "priority": [before.get("theme"), theme],
                "rationale": [before.get("rationale"), rationale],
            },
        )
    return priority


def priority_remove(*, acting_user: User, priority: RecommendedPriority) -> None:
    with transaction.atomic():
        assessment = _locked(StrategicAssessment, priority.assessment_id)
        _require_editable(assessment)
        priority.delete()
        audit_record(
            acting_user=acting_user,
            partnership=assessment.partnership,
            action="assessment.priority_remove",
            target=assessment,
            changes={"priority": [priority.theme, None]},
        )


def _check_transition(assessment: StrategicAssessment, status: str) -> None:
    if status not in ASSESSMENT_TRANSITIONS[assessment.status]:
        raise ValidationError(
            _("An assessment that is %(current)s cannot be made %(next)s.")
            % {
                "current": assessment.get_status_display().lower(),
                "next": AssessmentStatus(status).label.lower(),
            },
            code="transition",
        )


def _set_status(
    assessment: StrategicAssessment, status: str, *, acting_user: User, action: str, **fields
) -> StrategicAssessment:
    """The only way an assessment's status changes: locked, checked against the map, audited."""
    assessment = StrategicAssessment.objects.select_for_update().get(pk=assessment.pk)
    _check_transition(assessment, status)
    before = assessment.status
    assessment.status = status
    assessment.status_changed_at = _now()
    for name, value in fields.items():
        setattr(assessment, name, value)
    assessment.save()
    audit_record(
        acting_user=acting_user,
        partnership=assessment.partnership,
        action=action,
        target=assessment,
        changes={"status": [before, status], **{k: [None, v] for k, v in fields.items()}},
    )
    return assessment


def assessment_open_contributions(
    *, acting_user: User, assessment: StrategicAssessment
) -> StrategicAssessment:
    with transaction.atomic():
        return _set_status(
            assessment,
            AssessmentStatus.CONTRIBUTIONS_OPEN,
            acting_user=acting_user,
            action="assessment.open_contributions",
        )


def missing_for_approval(assessment: StrategicAssessment) -> list[str]:
    """What must be written before the assessment can be approved, in words for the page."""
    missing = [
        _("%(section)s has no text yet") % {"section": section.get_kind_display()}
        if not section.body.strip()
        else _("%(section)s needs the date of the annual public meeting")
        % {"section": section.get_kind_display()}
        for section in sorted(
            assessment.sections.all(), key=lambda s: SectionKind.values.index(s.kind)
        )
        if not section.is_complete
    ]
    if not assessment.priorities.all():
        missing.append(_("Recommend at least one priority"))
    return missing


def assessment_submit_for_review(
    *, acting_user: User, assessment: StrategicAssessment
) -> StrategicAssessment:
    with transaction.atomic():
        assessment = _locked(StrategicAssessment, assessment.pk)
        _check_transition(assessment, AssessmentStatus.IN_REVIEW)
        missing = missing_for_approval(assessment)
        if missing:
            raise ValidationError(missing, code="incomplete")
        return _set_status(
            assessment,
            AssessmentStatus.IN_REVIEW,
            acting_user=acting_user,
            action="assessment.submit_for_review",
        )


def assessment_return(
    *, acting_user: User, assessment: StrategicAssessment, comment: str
) -> StrategicAssessment:
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change")})
    with transaction.atomic():
        return _set_status(
            assessment,
            AssessmentStatus.CONTRIBUTIONS_OPEN,
            acting_user=acting_user,
            action="assessment.return",
            review_comment=comment.strip(),
        )


def assessment_approve(
    *, acting_user: User, membership: Membership, assessment: StrategicAssessment, note: str = ""
) -> StrategicAssessment:
    """Approval by a strategy group member freezes this version, with the sign-off recorded."""
    if membership.role != Role.STRATEGY_MEMBER or membership.partnership_id != (
        assessment.partnership_id
    ):
        raise PermissionDenied
    with transaction.atomic():
        assessment = _locked(StrategicAssessment, assessment.pk)
        _check_transition(assessment, AssessmentStatus.APPROVED)
        missing = missing_for_approval(assessment)
        if missing:
            raise ValidationError(missing, code="incomplete")
        return _set_status(
            assessment,
            AssessmentStatus.APPROVED,
            acting_user=acting_user,
            action="assessment.approve",
            approved_at=_now(),
            approved_by=acting_user,
            approved_by_name=acting_user.full_name,
            approved_by_role=str(membership.get_role_display()),
            approved_by_organisation=membership.organisation.name,
            approval_note=note.strip(),
        )


def assessment_new_version(
    *,
    acting_user: User,
    assessment: StrategicAssessment,
    submission: Submission | None = None,
) -> StrategicAssessment:
    """Start the next version of an approved assessment as an editable copy of it."""
    with transaction.atomic():
        submission_claim(submission)
        approved = _locked(StrategicAssessment, assessment.pk)
        if not approved.is_approved:
            raise ValidationError(_("Only an approved assessment can be started again."))
        if StrategicAssessment.objects.filter(previous_version=approved).exists():
            raise ValidationError(_("A newer version of this assessment has already been started."))
        newer = StrategicAssessment.objects.create(
            partnership=approved.partnership,
            year_start=approved.year_start,
            version=approved.version + 1,
            previous_version=approved,
            created_by=acting_user,
        )
        AssessmentSection.objects.bulk_create(
            AssessmentSection(
                assessment=newer,
                kind=section.kind,
                body=section.body,
                public_meeting_date=section.public_meeting_date,
                public_meeting_attendance=section.public_meeting_attendance,
                public_meeting_issues=section.public_meeting_issues,
                updated_by=acting_user,
            )
            for section in approved.sections.all()
        )
        RecommendedPriority.objects.bulk_create(
            RecommendedPriority(
                assessment=newer,
                theme=priority.theme,
                rationale=priority.rationale,
                evidence=priority.evidence,
                position=priority.position,
            )
            for priority in approved.priorities.all()
        )
        audit_record(
            acting_user=acting_user,
            partnership=approved.partnership,
            action="assessment.new_version",
            target=newer,
            changes={"version": [approved.version, newer.version]},
        )
    return newer


# Contribution requests -------------------------------------------------------------------------


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
        assessment = _locked(StrategicAssessment, assessment.pk)
        if assessment.status != AssessmentStatus.CONTRIBUTIONS_OPEN:
            raise ValidationError(
                _("Open the assessment for contributions before sending requests.")
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

    The rows are written in the caller's transaction and emailed after commit (or in the
    person's daily digest); a broker outage only delays them (the outbox flush sends them), and
    a retried email never reaches anyone twice.
    """
    from reminders.services import notifications_announce

    from .deadlines import contribution_items

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
        contribution.notified_at = _now()
        contribution.save(update_fields=["notified_at"])
    return told


def _require_answerable(acting_user: User, contribution: ContributionRequest) -> None:
    if not ContributionPolicy.can_answer(acting_user, contribution):
        raise PermissionDenied
    if contribution.assessment.is_approved:
        raise ValidationError(
            _("The assessment this contribution was for has been approved, so it is closed.")
        )
    if not contribution.is_awaiting_answer:
        raise ValidationError(
            _("This contribution is %(status)s and cannot be changed.")
            % {"status": contribution.get_status_display().lower()}
        )


def _set_contribution_status(
    contribution: ContributionRequest, status: str, *, acting_user: User, action: str, **fields
) -> ContributionRequest:
    if status not in CONTRIBUTION_TRANSITIONS[contribution.status]:
        raise ValidationError(
            _("A contribution that is %(current)s cannot be made %(next)s.")
            % {
                "current": contribution.get_status_display().lower(),
                "next": ContributionStatus(status).label.lower(),
            },
            code="transition",
        )
    before = contribution.status
    contribution.status = status
    contribution.updated_by = acting_user
    for name, value in fields.items():
        setattr(contribution, name, value)
    contribution.save()
    audit_record(
        acting_user=acting_user,
        partnership=contribution.partnership,
        action=action,
        target=contribution,
        changes={"status": [before, status], **{k: [None, v] for k, v in fields.items()}},
    )
    return contribution


def _locked_contribution(contribution: ContributionRequest) -> ContributionRequest:
    return (
        ContributionRequest.objects.select_for_update(of=("self",))
        .select_related("assessment", "partnership", "organisation", "updated_by")
        .get(pk=contribution.pk)
    )


def contribution_save(
    *,
    acting_user: User,
    contribution: ContributionRequest,
    revision: int,
    answer: str,
    figures: list[tuple[str, Decimal, str]],
) -> ContributionRequest:
    """Save a draft answer and its figures; the organisation can come back to it."""
    with transaction.atomic():
        contribution = _locked_contribution(contribution)
        _require_answerable(acting_user, contribution)
        if contribution.revision != revision:
            raise stale_edit_error(contribution.updated_by, contribution.updated_at)
        before_answer = contribution.answer
        before_figures = [str(figure) for figure in contribution.figures.all()]
        contribution.answer = answer.strip()
        contribution.revision += 1
        contribution.figures.all().delete()
        ContributionFigure.objects.bulk_create(
            ContributionFigure(
                contribution=contribution, label=label, value=value, unit=unit, position=index
            )
            for index, (label, value, unit) in enumerate(figures, start=1)
        )
        after_figures = [str(figure) for figure in contribution.figures.all()]
        before_status = contribution.status
        # Saving starts (or restarts, after a return) the organisation's work on it.
        contribution.status = ContributionStatus.IN_PROGRESS
        contribution.updated_by = acting_user
        contribution.save()
        audit_record(
            acting_user=acting_user,
            partnership=contribution.partnership,
            action="contribution.save",
            target=contribution,
            changes={
                "status": [before_status, contribution.status],
                "answer": [before_answer, contribution.answer],
                "figures": [before_figures, after_figures],
            },
        )
    return contribution


def contribution_submit(
    *, acting_user: User, contribution: ContributionRequest
) -> ContributionRequest:
    with transaction.atomic():
        contribution = _locked_contribution(contribution)
        _require_answerable(acting_user, contribution)
        if not contribution.answer.strip():
            raise ValidationError(_("Write an answer before you submit the contribution."))
        return _set_contribution_status(
            contribution,
            ContributionStatus.SUBMITTED,
            acting_user=acting_user,
            action="contribution.submit",
            submitted_at=_now(),
            submitted_by=acting_user,
        )


def contribution_accept(
    *, acting_user: User, contribution: ContributionRequest
) -> ContributionRequest:
    with transaction.atomic():
        contribution = _locked_contribution(contribution)
        return _set_contribution_status(
            contribution,
            ContributionStatus.ACCEPTED,
            acting_user=acting_user,
            action="contribution.accept",
            decided_at=_now(),
            decided_by=acting_user,
        )


def contribution_return(
    *, acting_user: User, contribution: ContributionRequest, comment: str
) -> ContributionRequest:
    """Send a submitted contribution back with a comment; the organisation can edit it again."""
    if not comment.strip():
        raise ValidationError({"comment": _("Say what the organisation needs to change")})
    with transaction.atomic():
        contribution = _locked_contribution(contribution)
        if contribution.assessment.is_approved:
            raise ValidationError(_("The assessment has been approved, so this is closed."))
        return _set_contribution_status(
            contribution,
            ContributionStatus.RETURNED,
            acting_user=acting_user,
            action="contribution.return",
            decided_at=_now(),
            decided_by=acting_user,
            return_comment=comment.strip(),
        )


def contribution_withdraw(
    *, acting_user: User, contribution: ContributionRequest
) -> ContributionRequest:
    with transaction.atomic():
        contribution = _locked_contribution(contribution)
        return _set_contribution_status(
            contribution,
            ContributionStatus.WITHDRAWN,
            acting_user=acting_user,
            action="contribution.withdraw",
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
        contribution = _locked_contribution(contribution)
        _require_answerable(acting_user, contribution)
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
        contribution = _locked_contribution(document.contribution)
        _require_answerable(acting_user, contribution)
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
