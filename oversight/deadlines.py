"""What falls due in PCC report requests, when, and from whom.

The rules:

- A report request is due from the partnership's coordinators by its due date while it waits
  for an answer (requested, or asked for more). Answering it, or the PCC withdrawing it, ends it.
- Each request for more is a new round with its own due date, so its reminders start afresh.
- An answered request awaits the PCC office that asked: its people there are told of the answer
  at once, and reminded to close the request or ask for more within
  ``CSP_PCC_ANSWER_REVIEW_DAYS`` of the answer. Closing, asking for more or withdrawing ends it.

The reminders read this module through the cycle registered below.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.cycles import Cycle, DueItem, register

from .models import ReportRequest, ReportRequestStatus
from .policies import REPORT_ANSWERING_ROLES, REPORT_ASKING_ROLES, ReportRequestPolicy


def requests_awaiting(partnership_ids: Collection[int] | None = None) -> QuerySet[ReportRequest]:
    queryset = ReportRequest.objects.filter(status=ReportRequestStatus.REQUESTED)
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return queryset


def answering_coordinators(requests: Iterable[ReportRequest]) -> dict[int, frozenset[int]]:
    """The active coordinators of each request's partnership, by partnership id (one query, none
    without requests)."""
    partnership_ids = {request.partnership_id for request in requests}
    if not partnership_ids:
        return {}
    people: dict[int, set[int]] = defaultdict(set)
    for partnership_id, user_id in (
        ReportRequestPolicy.answerers(partnership_ids)
        .order_by()
        .values_list("partnership_id", "user_id")
    ):
        people[partnership_id].add(user_id)
    return {partnership_id: frozenset(users) for partnership_id, users in people.items()}


def answers_awaiting(partnership_ids: Collection[int] | None = None) -> QuerySet[ReportRequest]:
    queryset = ReportRequest.objects.filter(status=ReportRequestStatus.ANSWERED)
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return queryset


def requesting_pcc_offices(requests: Iterable[ReportRequest]) -> dict[tuple[int, int], set[int]]:
    """The active PCC-office people of each request's partnership who represent the organisation
    that asked, by (partnership id, organisation id) (one query, none without requests)."""
    people: dict[tuple[int, int], set[int]] = defaultdict(set)
    if not requests:
        return people
    for partnership_id, organisation_id, user_id in (
        ReportRequestPolicy.askers(
            {request.partnership_id for request in requests},
            {request.requesting_organisation_id for request in requests},
        )
        .order_by()
        .values_list("partnership_id", "organisation_id", "user_id")
    ):
        people[(partnership_id, organisation_id)].add(user_id)
    return people


def _loaded(requests: QuerySet[ReportRequest]) -> list[ReportRequest]:
    return list(
        requests.select_related("partnership").only(
            "pk",
            "title",
            "due_date",
            "round",
            "status_changed_at",
            "requesting_organisation_id",
            "partnership_id",
            "partnership__name",
            "partnership__slug",
        )
    )


def _url(request: ReportRequest) -> str:
    return reverse(
        "oversight:report_request",
        kwargs={"partnership_slug": request.partnership.slug, "report_request_id": request.pk},
    )


def report_request_items(requests: QuerySet[ReportRequest]) -> list[DueItem]:
    """The given requests as due items with their coordinators (two queries)."""
    requests = _loaded(requests)
    coordinators = answering_coordinators(requests)
    return [
        DueItem(
            kind=ReportRequestCycle.kind,
            key=f"report_request:{request.pk}:{request.round}",
            partnership_id=request.partnership_id,
            partnership_name=request.partnership.name,
            due_on=request.due_date,
            title=gettext("Report for the PCC: %(title)s") % {"title": request.title},
            url=_url(request),
            recipients=coordinators.get(request.partnership_id, frozenset()),
        )
        for request in requests
    ]


def report_answer_items(requests: QuerySet[ReportRequest]) -> list[DueItem]:
    """The given answered requests as items due from the PCC office that asked (two queries)."""
    requests = _loaded(requests)
    offices = requesting_pcc_offices(requests)
    review_days = timedelta(days=settings.CSP_PCC_ANSWER_REVIEW_DAYS)
    return [
        DueItem(
            kind=ReportAnswerCycle.kind,
            key=f"report_answer:{request.pk}:{request.round}",
            partnership_id=request.partnership_id,
            partnership_name=request.partnership.name,
            due_on=timezone.localdate(request.status_changed_at) + review_days,
            title=gettext("Answer to your report request: %(title)s") % {"title": request.title},
            url=_url(request),
            recipients=frozenset(
                offices.get((request.partnership_id, request.requesting_organisation_id), ())
            ),
        )
        for request in requests
    ]


@register
class ReportRequestCycle(Cycle):
    kind = "pcc_report_request"
    label = _("Report requested by the police and crime commissioner")
    owing_roles = REPORT_ANSWERING_ROLES
    year_order = 60

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return report_request_items(requests_awaiting(partnership_ids))


@register
class ReportAnswerCycle(Cycle):
    kind = "pcc_report_answer"
    label = _("Answer to a report request, for the police and crime commissioner's office")
    owing_roles = REPORT_ASKING_ROLES
    owed_by_partnership = False
    year_order = 70

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return report_answer_items(answers_awaiting(partnership_ids))
