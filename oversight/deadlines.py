"""What falls due in PCC report requests, when, and from whom.

The rules:

- A report request is due from the partnership's coordinators by its due date while it waits
  for an answer (requested, or asked for more). Answering it, or the PCC withdrawing it, ends it.
- Each request for more is a new round with its own due date, so its reminders start afresh.

The reminders read this module through the cycle registered below.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date

from django.db.models import QuerySet
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership, Role
from reminders.cycles import Cycle, DueItem, register

from .models import ReportRequest, ReportRequestStatus


def requests_awaiting(partnership_ids: Collection[int] | None = None) -> QuerySet[ReportRequest]:
    queryset = ReportRequest.objects.filter(status=ReportRequestStatus.REQUESTED)
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return queryset


def answering_coordinators(requests: Iterable[ReportRequest]) -> dict[int, frozenset[int]]:
    """The active coordinators of each request's partnership, by partnership id (one query)."""
    people: dict[int, set[int]] = defaultdict(set)
    for partnership_id, user_id in Membership.objects.filter(
        partnership_id__in={request.partnership_id for request in requests},
        role=Role.COORDINATOR,
        user__is_active=True,
    ).values_list("partnership_id", "user_id"):
        people[partnership_id].add(user_id)
    return {partnership_id: frozenset(users) for partnership_id, users in people.items()}


def report_request_items(requests: QuerySet[ReportRequest]) -> list[DueItem]:
    """The given requests as due items with their coordinators (two queries)."""
    requests = list(
        requests.select_related("partnership").only(
            "pk",
            "title",
            "due_date",
            "round",
            "partnership_id",
            "partnership__name",
            "partnership__slug",
        )
    )
    coordinators = answering_coordinators(requests)
    return [
        DueItem(
            kind=ReportRequestCycle.kind,
            key=f"report_request:{request.pk}:{request.round}",
            partnership_id=request.partnership_id,
            partnership_name=request.partnership.name,
            due_on=request.due_date,
            title=gettext("Report for the PCC: %(title)s") % {"title": request.title},
            url=reverse(
                "oversight:report_request",
                kwargs={
                    "partnership_slug": request.partnership.slug,
                    "report_request_id": request.pk,
                },
            ),
            recipients=coordinators.get(request.partnership_id, frozenset()),
        )
        for request in requests
    ]


@register
class ReportRequestCycle(Cycle):
    kind = "pcc_report_request"
    label = _("Report requested by the police and crime commissioner")

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        return report_request_items(requests_awaiting(partnership_ids))
