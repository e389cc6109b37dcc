"""What falls due in the strategic assessment cycle, when, and from whom.

DESIGN.md keeps deadlines as data: this module is the one place that answers it for assessments,
and the reminders read it (through the cycles registered here).

The rules:

- A contribution request is due from its organisation by its due date while it waits for an
  answer (not started, in progress, or returned for changes) and its assessment is not yet
  approved. It is due from the organisation's people on the request's partnership in a role
  that answers contributions (``ContributionPolicy.answerers``): the same people who are told
  of it.
- An assessment submitted for review is due for sign-off from the partnership's strategy group
  members (``AssessmentPolicy.sign_off_recipients``) within ``CSP_ASSESSMENT_REVIEW_DAYS`` of its
  submission. Approval, or return for more work, ends it.

Every function takes ``today`` so that callers (and tests) decide what day it is.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Case, Exists, OuterRef, QuerySet, When
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.consultation import comment_counts
from reminders.cycles import Cycle, DueItem, WorkflowLine, register

from .models import (
    AWAITING_ANSWER,
    AssessmentStatus,
    ContributionRequest,
    ContributionStatus,
    StrategicAssessment,
)
from .policies import ANSWERING_ROLES, APPROVING_ROLES, AssessmentPolicy, ContributionPolicy


def _in(queryset: QuerySet, partnership_ids: Collection[int] | None) -> QuerySet:
    return (
        queryset if partnership_ids is None else queryset.filter(partnership_id__in=partnership_ids)
    )


# Contribution requests --------------------------------------------------------------------------


def contributions_awaiting(partnership_ids: Collection[int] | None = None) -> QuerySet:
    """Requests still waiting for their organisation's answer, on assessments still open."""
    return _in(
        ContributionRequest.objects.filter(status__in=AWAITING_ANSWER).exclude(
            assessment__status=AssessmentStatus.APPROVED
        ),
        partnership_ids,
    )


def answering_people(requests: Iterable[ContributionRequest]) -> dict[int, frozenset[int]]:
    """Who answers each request, by request id (one query): the organisation's people on the
    request's partnership in an answering role."""
    requests = list(requests)
    wanted = {(request.partnership_id, request.organisation_id) for request in requests}
    if not wanted:
        return {}
    people: dict[tuple[int, int], set[int]] = defaultdict(set)
    for partnership_id, organisation_id, user_id in (
        ContributionPolicy.answerers()
        .filter(
            partnership_id__in={partnership for partnership, _organisation in wanted},
            organisation_id__in={organisation for _partnership, organisation in wanted},
        )
        .order_by()
        .values_list("partnership_id", "organisation_id", "user_id")
    ):
        if (partnership_id, organisation_id) in wanted:
            people[(partnership_id, organisation_id)].add(user_id)
    return {
        request.pk: frozenset(people[(request.partnership_id, request.organisation_id)])
        for request in requests
    }


def contribution_items(requests: QuerySet) -> list[DueItem]:
    """The given requests as due items with their people (two queries)."""
    requests = list(
        requests.select_related("partnership", "organisation").only(
            "pk",
            "title",
            "due_date",
            "partnership_id",
            "partnership__name",
            "partnership__slug",
            "organisation_id",
            "organisation__name",
        )
    )
    people = answering_people(requests)
    return [
        DueItem(
            kind=ContributionCycle.kind,
            key=f"contribution:{request.pk}",
            partnership_id=request.partnership_id,
            partnership_name=request.partnership.name,
            due_on=request.due_date,
            title=f"{request.title} ({request.organisation.name})",
            url=reverse(
                "assessments:contribution",
                kwargs={
                    "partnership_slug": request.partnership.slug,
                    "contribution_id": request.pk,
                },
            ),
            recipients=people[request.pk],
        )
        for request in requests
    ]


@register
class ContributionCycle(Cycle):
    kind = "contribution_request"
    label = _("Contribution request")
    owing_roles = ANSWERING_ROLES
    year_order = 10

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return contribution_items(contributions_awaiting(partnership_ids))

    def due_to(self, *, user_id: int, today: date, partnership_ids: Collection[int]):
        # Due from the request's organisation's answerers on its partnership (``answering_people``):
        # the requests this person is one of them for, each with all of them.
        answers = ContributionPolicy.answerers().filter(
            user_id=user_id,
            partnership_id=OuterRef("partnership_id"),
            organisation_id=OuterRef("organisation_id"),
        )
        return contribution_items(contributions_awaiting(partnership_ids).filter(Exists(answers)))

    def workflow_lines(self, *, partnership_id: int, today: date) -> list[WorkflowLine]:
        assessment = current_assessment(partnership_id)
        if assessment is None or assessment.status != AssessmentStatus.CONTRIBUTIONS_OPEN:
            return []
        statuses = list(
            assessment.contribution_requests.exclude(
                status=ContributionStatus.WITHDRAWN
            ).values_list("status", flat=True)
        )
        text = gettext(
            "Contributions to the %(year)s assessment: %(answered)s of %(total)s requests handed in"
        ) % {
            "year": assessment.year_label,
            "answered": sum(1 for status in statuses if status not in AWAITING_ANSWER),
            "total": len(statuses),
        }
        return [WorkflowLine(text, _assessment_url(assessment) + "#contributions")]


# Sign-off of the assessment ---------------------------------------------------------------------


def sign_off_due_on(assessment: StrategicAssessment) -> date:
    """The strategy group signs off within CSP_ASSESSMENT_REVIEW_DAYS of the submission."""
    submitted = timezone.localdate(assessment.status_changed_at)
    return submitted + timedelta(days=settings.CSP_ASSESSMENT_REVIEW_DAYS)


def sign_offs_due(partnership_ids: Collection[int] | None = None) -> list[DueItem]:
    assessments = list(
        _in(StrategicAssessment.objects.filter(status=AssessmentStatus.IN_REVIEW), partnership_ids)
        .select_related("partnership")
        .only(
            "pk",
            "year_start",
            "version",
            "status_changed_at",
            "partnership_id",
            "partnership__name",
            "partnership__slug",
        )
    )
    if not assessments:
        return []
    members: dict[int, set[int]] = defaultdict(set)
    for partnership_id, user_id in (
        AssessmentPolicy.sign_off_recipients(
            {assessment.partnership_id for assessment in assessments}
        )
        .order_by()
        .values_list("partnership_id", "user_id")
    ):
        members[partnership_id].add(user_id)
    return [
        DueItem(
            kind=AssessmentSignOffCycle.kind,
            key=f"assessment_sign_off:{assessment.pk}",
            partnership_id=assessment.partnership_id,
            partnership_name=assessment.partnership.name,
            due_on=sign_off_due_on(assessment),
            title=str(assessment),
            url=reverse(
                "assessments:detail",
                kwargs={
                    "partnership_slug": assessment.partnership.slug,
                    "assessment_id": assessment.pk,
                },
            ),
            recipients=frozenset(members[assessment.partnership_id]),
        )
        for assessment in assessments
    ]


@register
class AssessmentSignOffCycle(Cycle):
    kind = "assessment_sign_off"
    label = _("Strategic assessment to sign off")
    owing_roles = APPROVING_ROLES
    year_order = 20

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return sign_offs_due(partnership_ids)

    def workflow_lines(self, *, partnership_id: int, today: date) -> list[WorkflowLine]:
        assessment = current_assessment(partnership_id)
        if assessment is None:
            return []
        lines = [WorkflowLine(assessment_standing(assessment), _assessment_url(assessment))]
        if assessment.status == AssessmentStatus.IN_REVIEW:
            counts = comment_counts(assessment.comments.all())
            lines.append(
                WorkflowLine(
                    gettext("Comments in review: %(total)s, %(open)s awaiting a response")
                    % {"total": counts["total"], "open": counts["open"]},
                    reverse(
                        "assessments:comments",
                        kwargs={
                            "partnership_slug": assessment.partnership.slug,
                            "assessment_id": assessment.pk,
                        },
                    ),
                )
            )
        return lines


def _assessment_url(assessment: StrategicAssessment) -> str:
    return reverse(
        "assessments:detail",
        kwargs={"partnership_slug": assessment.partnership.slug, "assessment_id": assessment.pk},
    )


def current_assessment(partnership_id: int) -> StrategicAssessment | None:
    """The version being worked on, else the newest approved one (one query)."""
    return (
        StrategicAssessment.objects.filter(partnership_id=partnership_id)
        .select_related("partnership")
        .order_by(
            Case(When(status=AssessmentStatus.APPROVED, then=1), default=0),
            "-year_start",
            "-version",
        )
        .first()
    )


def assessment_standing(assessment: StrategicAssessment) -> str:
    words = {
        "assessment": str(assessment),
        "date": date_format(timezone.localdate(assessment.status_changed_at), "j F Y"),
    }
    if assessment.status == AssessmentStatus.IN_REVIEW:
        words["due"] = date_format(sign_off_due_on(assessment), "j F Y")
        return gettext("%(assessment)s: with the strategy group since %(date)s, due by %(due)s") % (
            words
        )
    if assessment.status == AssessmentStatus.APPROVED:
        return gettext("%(assessment)s: approved on %(date)s") % words
    if assessment.status == AssessmentStatus.CONTRIBUTIONS_OPEN:
        return gettext("%(assessment)s: open for contributions since %(date)s") % words
    return gettext("%(assessment)s: draft") % words
