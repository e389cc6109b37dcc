"""The committee's reports and recommendations with the responsible authorities' responses, its
councillor calls for action with their outcome, and its meetings on the partnership."""

from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from partnerships.models import Partnership

from ..models import (
    CALL_FOR_ACTION_TRANSITIONS,
    COMMITTEE_REPORT_TRANSITIONS,
    NEEDS_REASONS,
    RECOMMENDATION_TRANSITIONS,
    CallForAction,
    CallForActionOutcome,
    CallForActionStatus,
    CommitteeReport,
    CommitteeReportStatus,
    Recommendation,
    RecommendationStatus,
    ScrutinyMeeting,
)
from ..policies import (
    CallForActionPolicy,
    CommitteeReportPolicy,
    RecommendationPolicy,
    ScrutinyMeetingPolicy,
)
from ..policies import ScrutinyVerb as V

MOST_RECOMMENDATIONS = 30


def _name(user: User) -> str:
    return user.full_name or user.email


def _not_in_future(value: date, field: str) -> None:
    if value > timezone.localdate():
        raise ValidationError({field: _("The date must be today or in the past")})


def response_due(made_on: date) -> date:
    """When the responsible authorities' written response falls due: ``CSP_SCRUTINY_RESPONSE_DAYS``
    after the report (see the setting for where the period comes from)."""
    return made_on + timedelta(days=settings.CSP_SCRUTINY_RESPONSE_DAYS)


def _notify_report(report: CommitteeReport) -> int:
    from reminders.services import notifications_announce

    from ..deadlines import response_items

    return notifications_announce(
        items=response_items(CommitteeReport.objects.filter(pk=report.pk))
    )


def committee_report_create(
    *,
    acting_user: User,
    partnership: Partnership,
    title: str,
    summary: str,
    made_on: date,
    recommendations: list[str],
    submission: Submission | None = None,
) -> CommitteeReport:
    """The committee's report, with its numbered recommendations; the coordinators are told and
    reminded until every recommendation has its written response."""
    with transaction.atomic():
        submission_claim(submission)
        CommitteeReportPolicy.require_user(acting_user, partnership, V.CREATE)
        _not_in_future(made_on, "made_on")
        recommendations = [text.strip() for text in recommendations if text.strip()]
        if not recommendations:
            raise ValidationError({"recommendations": _("Enter at least one recommendation")})
        if len(recommendations) > MOST_RECOMMENDATIONS:
            raise ValidationError(
                {
                    "recommendations": _("Enter at most %(count)s recommendations")
                    % {"count": MOST_RECOMMENDATIONS}
                }
            )
        report = CommitteeReport(
            partnership=partnership,
            title=title,
            summary=summary,
            made_on=made_on,
            response_due=response_due(made_on),
            recorded_by=acting_user,
            recorded_by_name=_name(acting_user),
        )
        report.full_clean()
        report.save()
        Recommendation.objects.bulk_create(
            Recommendation(partnership=partnership, report=report, number=number, text=text)
            for number, text in enumerate(recommendations, start=1)
        )
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="scrutiny.report.create",
            target=report,
            changes={"title": [None, title], "recommendations": [None, len(recommendations)]},
        )
        _notify_report(report)
    return report


def scrutiny_recommendation_respond(
    *,
    acting_user: User,
    recommendation: Recommendation,
    status: str,
    response: str,
) -> Recommendation:
    """The responsible authorities' written response to one recommendation: accepted, partly
    accepted or rejected (the last two with reasons). The last response answers the report."""
    with transaction.atomic():
        report = locked(recommendation.report, related=["partnership"])
        recommendation = locked(recommendation)
        RecommendationPolicy.require_user(acting_user, report.partnership, V.ANSWER, recommendation)
        if status not in RECOMMENDATION_TRANSITIONS[RecommendationStatus.PENDING]:
            raise ValidationError({"status": _("Choose the response")})
        if status in NEEDS_REASONS and not response.strip():
            raise ValidationError({"response": _("Give the reasons for not accepting it all")})
        transition(
            recommendation,
            status,
            transitions=RECOMMENDATION_TRANSITIONS,
            acting_user=acting_user,
            action="scrutiny.recommendation.respond",
            response=response,
            responded_by=acting_user,
            responded_by_name=_name(acting_user),
        )
        if not report.recommendations.filter(status=RecommendationStatus.PENDING).exists():
            transition(
                report,
                CommitteeReportStatus.RESPONDED,
                transitions=COMMITTEE_REPORT_TRANSITIONS,
                acting_user=acting_user,
                action="scrutiny.report.responded",
            )
    return recommendation


def call_for_action_record(
    *,
    acting_user: User,
    partnership: Partnership,
    matter: str,
    ward: str,
    councillor: str,
    details: str,
    referred_on: date,
    submission: Submission | None = None,
) -> CallForAction:
    """A ward councillor's call for action on a local crime and disorder matter, referred to the
    committee."""
    with transaction.atomic():
        submission_claim(submission)
        CallForActionPolicy.require_user(acting_user, partnership, V.CREATE)
        _not_in_future(referred_on, "referred_on")
        call = CallForAction(
            partnership=partnership,
            matter=matter,
            ward=ward,
            councillor=councillor,
            details=details,
            referred_on=referred_on,
            recorded_by=acting_user,
            recorded_by_name=_name(acting_user),
        )
        call.full_clean()
        call.save()
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="scrutiny.call_for_action.record",
            target=call,
            changes={"matter": [None, matter], "ward": [None, ward]},
        )
    return call


def call_for_action_conclude(
    *, acting_user: User, call: CallForAction, outcome: str, outcome_details: str
) -> CallForAction:
    """What came of the call for action."""
    with transaction.atomic():
        call = locked(call, related=["partnership"])
        CallForActionPolicy.require_user(acting_user, call.partnership, V.CONCLUDE, call)
        if outcome not in CallForActionOutcome.values:
            raise ValidationError({"outcome": _("Choose the outcome")})
        if not outcome_details.strip():
            raise ValidationError({"outcome_details": _("Say what was done or decided")})
        transition(
            call,
            CallForActionStatus.CONCLUDED,
            transitions=CALL_FOR_ACTION_TRANSITIONS,
            acting_user=acting_user,
            action="scrutiny.call_for_action.conclude",
            outcome=outcome,
            outcome_details=outcome_details,
        )
    return call


def scrutiny_meeting_record(
    *,
    acting_user: User,
    partnership: Partnership,
    held_on: date,
    attended_by: str,
    asked: str,
    answered: str,
    submission: Submission | None = None,
) -> ScrutinyMeeting:
    """The committee's meeting on the partnership's work, with what was asked and answered."""
    with transaction.atomic():
        submission_claim(submission)
        ScrutinyMeetingPolicy.require_user(acting_user, partnership, V.CREATE)
        _not_in_future(held_on, "held_on")
        if ScrutinyMeeting.objects.filter(partnership=partnership, held_on=held_on).exists():
            raise ValidationError({"held_on": _("A meeting on that day is already recorded")})
        meeting = ScrutinyMeeting(
            partnership=partnership,
            held_on=held_on,
            attended_by=attended_by,
            asked=asked,
            answered=answered,
            recorded_by=acting_user,
            recorded_by_name=_name(acting_user),
        )
        meeting.full_clean()
        meeting.save()
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="scrutiny.meeting.record",
            target=meeting,
            changes={"held_on": [None, held_on]},
        )
    return meeting
