"""A recommended priority's evidence, cited as links: an offence group of the newest police
recorded crime release with figures for the partnership, an accepted contribution, or the
assessment's consultation findings. Cited and withdrawn while the assessment is editable."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked
from recorded_crime.models import AreaKind, CrimeArea
from recorded_crime.offences import BY_KEY

from ..models import (
    ContributionRequest,
    ContributionStatus,
    EvidenceKind,
    PriorityEvidence,
    RecommendedPriority,
    SectionKind,
)
from ..policies import AssessmentPolicy, AssessmentVerb


def _require(acting_user: User, assessment):
    assessment = locked(assessment, related=("partnership",))
    AssessmentPolicy.require_user(
        acting_user, assessment.partnership, AssessmentVerb.EDIT, assessment
    )
    return assessment


def priority_evidence_cite(
    *,
    acting_user: User,
    priority: RecommendedPriority,
    kind: str,
    offence_key: str = "",
    contribution: ContributionRequest | None = None,
    submission: Submission | None = None,
) -> PriorityEvidence:
    with transaction.atomic():
        submission_claim(submission)
        assessment = _require(acting_user, priority.assessment)
        if priority.assessment_id != assessment.pk:
            raise PermissionDenied
        citation = PriorityEvidence(priority=priority, kind=kind)
        if kind == EvidenceKind.CRIME:
            if offence_key not in BY_KEY:
                raise ValidationError({"offence_key": _("Choose an offence group")})
            row = (
                CrimeArea.objects.filter(
                    csp_code=assessment.partnership.ons_code or "-", kind=AreaKind.CSP
                )
                .select_related("release")
                .order_by("-release__period_end")
                .first()
            )
            if row is None:
                raise ValidationError(
                    {"offence_key": _("No police recorded crime has been imported for this area")}
                )
            citation.offence_key, citation.release = offence_key, row.release
            citation.release_label = row.release.period_label
            citation.count = row.counts.get(offence_key)
            taken = priority.citations.filter(kind=kind, offence_key=offence_key)
            label = f"{offence_key} ({row.release.period_label})"
        elif kind == EvidenceKind.CONTRIBUTION:
            if (
                contribution is None
                or contribution.assessment_id != assessment.pk
                or contribution.status != ContributionStatus.ACCEPTED
            ):
                raise ValidationError(
                    {"contribution": _("Choose an accepted contribution to this assessment")}
                )
            citation.contribution = contribution
            taken = priority.citations.filter(kind=kind, contribution=contribution)
            label = contribution.title
        elif kind == EvidenceKind.CONSULTATION:
            citation.section = assessment.sections.get(kind=SectionKind.COMMUNITY)
            taken = priority.citations.filter(kind=kind)
            label = str(SectionKind.COMMUNITY.label)
        else:
            raise ValidationError({"kind": _("Choose what kind of evidence to cite")})
        if taken.exists():
            raise ValidationError(_("This priority already cites that evidence"))
        citation.full_clean()
        citation.save()
        audit_record(
            acting_user=acting_user,
            partnership=assessment.partnership,
            action="assessment.priority_cite",
            target=assessment,
            changes={"priority": [None, priority.theme], "evidence": [None, f"{kind}: {label}"]},
        )
    return citation


def priority_evidence_remove(*, acting_user: User, citation: PriorityEvidence) -> None:
    with transaction.atomic():
        assessment = _require(acting_user, citation.priority.assessment)
        citation.delete()
        audit_record(
            acting_user=acting_user,
            partnership=assessment.partnership,
            action="assessment.priority_uncite",
            target=assessment,
            changes={
                "priority": [citation.priority.theme, None],
                "evidence": [citation.kind, None],
            },
        )
