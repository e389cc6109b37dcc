"""Changes to the strategic assessment itself: starting it, writing its sections and recommended
priorities, moving it through review to approval, and starting its next version. One function per
user intent, each in one transaction that locks the assessment, asks AssessmentPolicy whether the
acting user may do it now, and writes the audit event."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.concurrency import stale_edit_error
from csp_portal.dates import check_not_too_far
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import Partnership
from reminders.services import notifications_announce

from ..deadlines import sign_offs_due
from ..models import (
    ASSESSMENT_TRANSITIONS,
    AssessmentSection,
    AssessmentStatus,
    RecommendedPriority,
    SectionKind,
    StrategicAssessment,
    financial_year_label,
)
from ..policies import AssessmentPolicy, AssessmentVerb


def _require(
    acting_user: User, verb: AssessmentVerb, assessment: StrategicAssessment
) -> StrategicAssessment:
    """``assessment`` read again under a row lock, once AssessmentPolicy lets ``acting_user`` do
    ``verb`` to it now."""
    assessment = locked(assessment, related=("partnership",))
    AssessmentPolicy.require_user(acting_user, assessment.partnership, verb, assessment)
    return assessment


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
        AssessmentPolicy.require_user(acting_user, partnership, AssessmentVerb.START)
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
        section = locked(section, related=("assessment__partnership", "updated_by"))
        AssessmentPolicy.require_user(
            acting_user, section.assessment.partnership, AssessmentVerb.EDIT, section.assessment
        )
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
        assessment = _require(acting_user, AssessmentVerb.EDIT, assessment)
        if priority is not None and priority.assessment_id != assessment.pk:
            raise PermissionDenied
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
        assessment = _require(acting_user, AssessmentVerb.EDIT, priority.assessment)
        priority.delete()
        audit_record(
            acting_user=acting_user,
            partnership=assessment.partnership,
            action="assessment.priority_remove",
            target=assessment,
            changes={"priority": [priority.theme, None]},
        )


def assessment_open_contributions(
    *, acting_user: User, assessment: StrategicAssessment
) -> StrategicAssessment:
    with transaction.atomic():
        assessment = _require(acting_user, AssessmentVerb.OPEN_CONTRIBUTIONS, assessment)
        return transition(
            assessment,
            AssessmentStatus.CONTRIBUTIONS_OPEN,
            transitions=ASSESSMENT_TRANSITIONS,
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
        assessment = _require(acting_user, AssessmentVerb.SUBMIT_FOR_REVIEW, assessment)
        missing = missing_for_approval(assessment)
        if missing:
            raise ValidationError(missing, code="incomplete")
        assessment = transition(
            assessment,
            AssessmentStatus.IN_REVIEW,
            transitions=ASSESSMENT_TRANSITIONS,
            acting_user=acting_user,
            action="assessment.submit_for_review",
        )
        # The strategy group is asked at once; the sweep chases it until it is approved or
        # returned (deadlines.AssessmentSignOffCycle).
        notifications_announce(
            items=[
                item
                for item in sign_offs_due([assessment.partnership_id])
                if item.key == f"assessment_sign_off:{assessment.pk}"
            ]
        )
        return assessment


def assessment_return(
    *, acting_user: User, assessment: StrategicAssessment, comment: str
) -> StrategicAssessment:
    if not comment.strip():
        raise ValidationError({"comment": _("Say what needs to change")})
    with transaction.atomic():
        assessment = _require(acting_user, AssessmentVerb.RETURN, assessment)
        return transition(
            assessment,
            AssessmentStatus.CONTRIBUTIONS_OPEN,
            transitions=ASSESSMENT_TRANSITIONS,
            acting_user=acting_user,
            action="assessment.return",
            review_comment=comment.strip(),
        )


def assessment_approve(
    *, acting_user: User, assessment: StrategicAssessment, note: str = ""
) -> StrategicAssessment:
    """Approval by a strategy group member freezes this version, with the sign-off (their name,
    role and organisation as they stand now) recorded."""
    with transaction.atomic():
        assessment = locked(assessment, related=("partnership",))
        membership = AssessmentPolicy.require_user(
            acting_user, assessment.partnership, AssessmentVerb.APPROVE, assessment
        )
        missing = missing_for_approval(assessment)
        if missing:
            raise ValidationError(missing, code="incomplete")
        return transition(
            assessment,
            AssessmentStatus.APPROVED,
            transitions=ASSESSMENT_TRANSITIONS,
            acting_user=acting_user,
            action="assessment.approve",
            approved_at=timezone.now(),
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
        approved = _require(acting_user, AssessmentVerb.NEW_VERSION, assessment)
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
