"""Every change to the strategy group's meetings: schedule one with its agenda, record it as
held (the minutes, who attended for each seat), add the decisions and actions arising (each may
name an action of the partnership plan), publish the minutes to the members and, where the
partnership chooses, a depersonalised version to its public page. Each status change is a
``csp_portal.workflow.transition`` (MEETING_TRANSITIONS)."""

import secrets
from datetime import date

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from audit.services import audit_record
from csp_portal import uploads
from csp_portal.submissions import Submission, submission_claim
from csp_portal.workflow import locked, transition
from engagement.services import Attendee, seats_of
from partnerships.models import Partnership
from plans.models import PartnershipPlan, PlanAction

from .models import (
    MEETING_TRANSITIONS,
    SIGNABLE_PLAN_STATUSES,
    Decision,
    MeetingAttendance,
    MeetingPaper,
    MeetingStatus,
    StrategyMeeting,
)
from .policies import MeetingPolicy
from .policies import MeetingVerb as V


def meeting_schedule(
    *,
    acting_user: User,
    partnership: Partnership,
    title: str,
    meets_on: date,
    agenda: str,
    submission: Submission | None = None,
) -> StrategyMeeting:
    with transaction.atomic():
        submission_claim(submission)
        MeetingPolicy.require_user(acting_user, partnership, V.SCHEDULE)
        meeting = StrategyMeeting(
            partnership=partnership,
            title=title,
            meets_on=meets_on,
            agenda=agenda,
            created_by=acting_user,
        )
        meeting.full_clean()
        meeting.save()
        audit_record(
            acting_user=acting_user,
            partnership=partnership,
            action="strategygroup.meeting.schedule",
            target=meeting,
            changes={"title": [None, title], "meets_on": [None, meets_on.isoformat()]},
        )
    return meeting


def meeting_record(
    *,
    acting_user: User,
    meeting: StrategyMeeting,
    minutes: str,
    attendees: list[Attendee],
    submission: Submission | None = None,
) -> StrategyMeeting:
    """The meeting took place: its draft minutes and who attended for each seat."""
    with transaction.atomic():
        submission_claim(submission)
        meeting = locked(meeting, related=["partnership"])
        MeetingPolicy.require_user(acting_user, meeting.partnership, V.RECORD, meeting)
        if meeting.meets_on > timezone.localdate():
            raise ValidationError(_("The meeting has not taken place yet"))
        if not minutes.strip():
            raise ValidationError({"minutes": _("Enter the minutes")})
        seats = seats_of(attendees)
        transition(
            meeting,
            MeetingStatus.HELD,
            transitions=MEETING_TRANSITIONS,
            acting_user=acting_user,
            action="strategygroup.meeting.record",
            audit_changes={"seats_attended": [None, sorted(seats)]},
            minutes=minutes,
        )
        MeetingAttendance.objects.bulk_create(
            MeetingAttendance(
                meeting=meeting,
                partnership_id=meeting.partnership_id,
                seat=attendee.seat,
                name=attendee.name,
                position=attendee.position,
            )
            for attendee in attendees
        )
    return meeting


def decision_add(
    *,
    acting_user: User,
    meeting: StrategyMeeting,
    text: str,
    owner: str,
    plan_action: PlanAction | None,
    signed_off_plan: PartnershipPlan | None = None,
    submission: Submission | None = None,
) -> Decision:
    """A decision or action arising, numbered in order; the plan action, and the plan version it
    records the sign-off of, must be the partnership's own (and the plan past its draft)."""
    with transaction.atomic():
        submission_claim(submission)
        meeting = locked(meeting, related=["partnership"])
        MeetingPolicy.require_user(acting_user, meeting.partnership, V.DECIDE, meeting)
        if plan_action is not None and plan_action.partnership_id != meeting.partnership_id:
            raise ValidationError({"plan_action": _("Choose an action of this partnership's plan")})
        if signed_off_plan is not None and (
            signed_off_plan.partnership_id != meeting.partnership_id
            or signed_off_plan.status not in SIGNABLE_PLAN_STATUSES
        ):
            raise ValidationError(
                {"signed_off_plan": _("Choose a plan of this partnership that has left its draft")}
            )
        if not text.strip():
            raise ValidationError({"text": _("Enter the decision or action")})
        last = meeting.decisions.aggregate(last=Max("number"))["last"] or 0
        decision = Decision(
            meeting=meeting,
            partnership_id=meeting.partnership_id,
            number=last + 1,
            text=text,
            owner=owner,
            plan_action=plan_action,
            signed_off_plan=signed_off_plan,
        )
        decision.full_clean(exclude=["meeting", "partnership"])
        decision.save()
        audit_record(
            acting_user=acting_user,
            partnership=meeting.partnership,
            action="strategygroup.decision.add",
            target=meeting,
            changes={
                "decision": [None, decision.number],
                "plan_action": [None, plan_action and plan_action.pk],
                "signed_off_plan": [None, signed_off_plan and signed_off_plan.pk],
            },
        )
    return decision


def meeting_publish(*, acting_user: User, meeting: StrategyMeeting) -> StrategyMeeting:
    """The minutes, with the attendance and the decisions, go to every member of the
    partnership who reads the meetings."""
    with transaction.atomic():
        meeting = locked(meeting, related=["partnership"])
        MeetingPolicy.require_user(acting_user, meeting.partnership, V.PUBLISH, meeting)
        transition(
            meeting,
            MeetingStatus.PUBLISHED,
            transitions=MEETING_TRANSITIONS,
            acting_user=acting_user,
            action="strategygroup.meeting.publish",
            audit_changes={},
            minutes_published_at=timezone.now(),
        )
    return meeting


def meeting_publish_public(
    *,
    acting_user: User,
    meeting: StrategyMeeting,
    public_minutes: str,
    submission: Submission | None = None,
) -> StrategyMeeting:
    """Put a version of the published minutes on the partnership's public page, as the
    partnership chooses for this meeting. The coordinator writes it without names; the page
    shows the seats that attended and never who attended for them."""
    with transaction.atomic():
        submission_claim(submission)
        meeting = locked(meeting, related=["partnership"])
        MeetingPolicy.require_user(acting_user, meeting.partnership, V.PUBLISH_PUBLIC, meeting)
        if not public_minutes.strip():
            raise ValidationError({"public_minutes": _("Enter the minutes for the public page")})
        meeting.public_minutes = public_minutes
        meeting.public_at = timezone.now()
        meeting.full_clean(exclude=["partnership", "created_by"])
        meeting.save(update_fields=["public_minutes", "public_at"])
        audit_record(
            acting_user=acting_user,
            partnership=meeting.partnership,
            action="strategygroup.meeting.publish_public",
            target=meeting,
            changes={"public_at": [None, meeting.public_at.isoformat()]},
        )
    return meeting


def meeting_withdraw_public(*, acting_user: User, meeting: StrategyMeeting) -> StrategyMeeting:
    """Take the meeting's minutes off the public page (the members keep theirs); they may be put
    back, rewritten, later."""
    with transaction.atomic():
        meeting = locked(meeting, related=["partnership"])
        MeetingPolicy.require_user(acting_user, meeting.partnership, V.WITHDRAW_PUBLIC, meeting)
        published_at = meeting.public_at
        meeting.public_minutes = ""
        meeting.public_at = None
        meeting.save(update_fields=["public_minutes", "public_at"])
        audit_record(
            acting_user=acting_user,
            partnership=meeting.partnership,
            action="strategygroup.meeting.withdraw_public",
            target=meeting,
            changes={"public_at": [published_at.isoformat(), None]},
        )
    return meeting


def paper_add(
    *,
    acting_user: User,
    meeting: StrategyMeeting,
    file: UploadedFile,
    submission: Submission | None = None,
) -> MeetingPaper:
    """A paper for the meeting (until its minutes are published), through the upload checks; no
    file outlives a refused or rolled-back upload."""
    stored = None
    try:
        with transaction.atomic():
            submission_claim(submission)
            meeting = locked(meeting, related=["partnership"])
            MeetingPolicy.require_user(acting_user, meeting.partnership, V.ADD_PAPER, meeting)
            content_type = uploads.checked_content_type(file)
            paper = MeetingPaper(
                meeting=meeting,
                partnership_id=meeting.partnership_id,
                token=secrets.token_hex(16),
                original_name=uploads.display_name(file.name),
                content_type=content_type,
                size=file.size,
                uploaded_by=acting_user,
            )
            paper.file.save(paper.token, file, save=False)
            stored = paper.file
            paper.save()
            audit_record(
                acting_user=acting_user,
                partnership=meeting.partnership,
                action="strategygroup.paper.add",
                target=meeting,
                changes={"paper": [None, paper.original_name]},
            )
    except Exception:
        if stored is not None:
            stored.delete(save=False)
        raise
    return paper
