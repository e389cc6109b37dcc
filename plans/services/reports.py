"""Issuing a progress report: the coordinator freezes progress on the plan in force for a
quarter, for the scrutiny committee and the PCC to read. Reports are issued in quarter order, one
per quarter, and never change afterwards."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.changes import changed
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked
from partnerships.models import Membership, Partnership

from .. import deadlines
from ..bilingual import is_bilingual, missing_report_welsh
from ..models import PartnershipPlan, ProgressReport, ProgressReportRead, Quarter
from ..policies import ProgressReportPolicy, ReportVerb
from ..selectors.progress import progress_dashboard
from ..selectors.reports import issuable_quarters, latest_report, snapshot


def progress_report_issue(
    *,
    acting_user: User,
    plan: PartnershipPlan,
    quarter: Quarter,
    narrative: str = "",
    narrative_cy: str = "",
    today: date | None = None,
    submission: Submission | None = None,
) -> ProgressReport:
    """Issue the report for ``quarter`` on ``plan``, with progress as it stands ``today``. A
    Welsh partnership's report may carry a summary for the committee, in both languages or
    neither: one written in only one is refused, naming the one missing (plans.bilingual). An
    English partnership's report has none."""
    today = today or deadlines.local_today()
    with transaction.atomic():
        submission_claim(submission)
        # One issue at a time per partnership: "after the last report" is checked, then acted on.
        partnership = locked(Partnership(pk=plan.partnership_id))
        membership = ProgressReportPolicy.require_user(acting_user, partnership, ReportVerb.ISSUE)
        plan = PartnershipPlan.objects.select_related("previous_version").get(pk=plan.pk)
        if not deadlines.is_in_force(plan):
            raise ValidationError(
                _("Progress reports are issued on the plan in force, not on this version."),
                code="not_in_force",
            )
        latest = latest_report(partnership=partnership)
        if quarter not in deadlines.reportable_quarters(plan=plan, today=today):
            raise ValidationError(
                {"quarter": _("Choose a quarter of the plan's period that has begun.")},
                code="quarter",
            )
        if quarter not in issuable_quarters(plan=plan, latest=latest, today=today):
            raise ValidationError(
                {
                    "quarter": _(
                        "The report for %(quarter)s has been issued. Choose a later quarter."
                    )
                    % {"quarter": latest.period}
                },
                code="quarter",
            )
        narrative, narrative_cy = narrative.strip(), narrative_cy.strip()
        if not is_bilingual(partnership):
            narrative = narrative_cy = ""
        elif missing := missing_report_welsh(narrative=narrative, narrative_cy=narrative_cy):
            raise ValidationError(missing, code="welsh_missing")
        dashboard = progress_dashboard(membership=membership, plan_id=plan.pk, today=today)
        report = ProgressReport(
            partnership=partnership,
            plan=plan,
            year_start=quarter.year_start,
            quarter=quarter.number,
            previous=latest,
            figures=snapshot(dashboard, quarter),
            narrative=narrative,
            narrative_cy=narrative_cy,
            as_at=today,
            issued_by=acting_user,
            issued_by_name=acting_user.full_name or acting_user.email,
        )
        report.full_clean()
        try:
            with transaction.atomic():
                report.save()
        except IntegrityError:
            raise ValidationError(
                {"quarter": _("The report for %(quarter)s has been issued.") % {"quarter": quarter}}
            ) from None
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="plan.progress_report_issue",
            target=report,
            changes={
                "quarter": [None, str(quarter)],
                "plan": [None, str(plan)],
                **({"narrative": [None, narrative]} if narrative else {}),
                **({"narrative_cy": [None, narrative_cy]} if narrative_cy else {}),
            },
        )
    return report


def progress_report_read(
    *, acting_user: User, membership: Membership, report: ProgressReport, today: date
) -> None:
    """The member opened the report: while it is new, it leaves their Your work. Reading changes
    nothing of the partnership's, so it is not audited; it is written once (a second opening
    conflicts and writes nothing) and only for those it is new to."""
    if report.partnership_id != membership.partnership_id:
        raise PermissionDenied
    issued_on = timezone.localdate(report.issued_at)
    if issued_on < deadlines.reports_new_since(today) or not ProgressReportPolicy.is_reader(
        membership
    ):
        return
    if ProgressReportRead.objects.filter(report=report, user=acting_user).exists():
        return
    ProgressReportRead.objects.bulk_create(
        [ProgressReportRead(report=report, user=acting_user)], ignore_conflicts=True
    )
    # Their Your work, kept under the partnership's change stamp, no longer lists it as new.
    changed(report.partnership_id)
