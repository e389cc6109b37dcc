"""Reads of the strategy group's meetings: scoped to the member's partnership by
``MeetingPolicy`` (another partnership's meeting is not found: 404)."""

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from engagement.selectors import YearPages, financial_year_expression, year_pages, year_range
from partnerships.models import Membership, Partnership
from plans.governance import GroupDecision
from plans.models import PartnershipPlan, PlanAction

from .models import (
    SIGNABLE_PLAN_STATUSES,
    Decision,
    MeetingAttendance,
    MeetingPaper,
    StrategyMeeting,
)
from .policies import MeetingPolicy


def meetings_of(*, membership: Membership) -> QuerySet[StrategyMeeting]:
    return MeetingPolicy.visible(membership).defer("agenda", "minutes")


def meetings_in_full_of(*, membership: Membership) -> QuerySet[StrategyMeeting]:
    """The meetings with their seats' attendance and decisions, for the API (three queries a
    page); whether a meeting's minutes may be read is the policy's (``READ_MINUTES``)."""
    return (
        MeetingPolicy.visible(membership)
        .prefetch_related(
            Prefetch("attendance", queryset=MeetingAttendance.objects.order_by("seat")),
            Prefetch("decisions", queryset=Decision.objects.order_by("number")),
        )
        .order_by("-meets_on", "-pk")
    )


def meeting_for(*, membership: Membership, pk: int) -> StrategyMeeting:
    """One meeting with its attendance and decisions (each with its plan action)."""
    try:
        return (
            MeetingPolicy.visible(membership)
            .select_related("partnership")
            .prefetch_related(
                Prefetch("attendance", queryset=MeetingAttendance.objects.order_by("seat")),
                Prefetch("papers", queryset=MeetingPaper.objects.order_by("uploaded_at", "pk")),
                Prefetch(
                    "decisions",
                    queryset=Decision.objects.select_related(
                        "plan_action", "signed_off_plan"
                    ).order_by("number"),
                ),
            )
            .get(pk=pk)
        )
    except StrategyMeeting.DoesNotExist:
        raise Http404 from None


def plan_actions_of(*, partnership_id: int) -> QuerySet[PlanAction]:
    """The actions a decision may name: those of the partnership's plans."""
    return PlanAction.objects.filter(partnership_id=partnership_id).order_by(
        "plan_id", "position", "pk"
    )


def signable_plans_of(*, partnership_id: int) -> QuerySet[PartnershipPlan]:
    """The plan versions a decision may record the sign-off of: the partnership's, past draft."""
    return PartnershipPlan.objects.filter(
        partnership_id=partnership_id, status__in=SIGNABLE_PLAN_STATUSES
    ).order_by("-period_start", "-version")


def _group_decisions(decisions: QuerySet[Decision]) -> list[GroupDecision]:
    """Each decision as a link to its meeting (one query)."""
    decisions = decisions.select_related("meeting__partnership").order_by(
        "meeting__meets_on", "meeting_id", "number"
    )
    return [
        GroupDecision(
            text=_("%(meeting)s (%(date)s), decision %(number)s")
            % {
                "meeting": decision.meeting.title,
                "date": date_format(decision.meeting.meets_on, "j F Y"),
                "number": decision.number,
            },
            url=reverse(
                "strategygroup:meeting",
                kwargs={
                    "partnership_slug": decision.meeting.partnership.slug,
                    "meeting_id": decision.meeting_id,
                },
            ),
        )
        for decision in decisions
    ]


def sign_off_decisions_for(
    plan: PartnershipPlan, membership: Membership | None
) -> list[GroupDecision]:
    """The decisions of meetings this member reads that record this plan's sign-off, for the
    plan's page."""
    return _group_decisions(
        Decision.objects.filter(signed_off_plan=plan, meeting__in=MeetingPolicy.visible(membership))
    )


def action_decisions_for(action: PlanAction, membership: Membership | None) -> list[GroupDecision]:
    """The decisions of meetings this member reads about this plan action, for its page."""
    return _group_decisions(
        Decision.objects.filter(plan_action=action, meeting__in=MeetingPolicy.visible(membership))
    )


def paper_for(*, meeting: StrategyMeeting, pk: int) -> MeetingPaper:
    """One paper of a meeting the member already reaches (404 otherwise)."""
    try:
        return MeetingPaper.objects.get(pk=pk, meeting=meeting)
    except MeetingPaper.DoesNotExist:
        raise Http404 from None


@dataclass(frozen=True)
class PublicMeetings:
    meetings: list[StrategyMeeting]
    pages: YearPages


def public_meetings(*, partnership: Partnership, year: str | None = None) -> PublicMeetings:
    """The meetings whose minutes the partnership put on its public page, one financial year at
    a time, newest first, each with the seats that attended (three queries). Only the
    depersonalised minutes are read: not the members' minutes, not who attended."""
    shown = StrategyMeeting.objects.filter(partnership=partnership, public_at__isnull=False).only(
        "pk", "partnership_id", "title", "meets_on", "public_minutes", "public_at"
    )
    years = list(
        shown.annotate(financial_year=financial_year_expression("meets_on"))
        .order_by("-financial_year")
        .values_list("financial_year", flat=True)
        .distinct()
    )
    pages = year_pages(years, year)
    meetings = []
    if pages.year is not None:
        start, end = year_range(pages.year)
        meetings = list(
            shown.filter(meets_on__gte=start, meets_on__lt=end)
            .prefetch_related(
                Prefetch(
                    "attendance",
                    queryset=MeetingAttendance.objects.only("pk", "meeting_id", "seat"),
                )
            )
            .order_by("-meets_on", "-pk")
        )
    return PublicMeetings(meetings=meetings, pages=pages)
