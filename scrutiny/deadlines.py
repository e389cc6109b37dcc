"""What falls due in the committee's work with the partnership, when, and from whom.

The rules:

- An information request is due from the partnership's coordinators by the date the committee
  set in it (SI 2009/942 has the information provided by the date the request indicates), while it
  awaits an answer. Answering or withdrawing it ends it.
- An answer is for the member who asked to read: told at once, and listed on their Your work as
  new for ``CSP_NEW_REPORT_DAYS`` (never reminded).
- A committee report is due from the coordinators (answering for the responsible authorities)
  by its ``response_due`` until every recommendation has its written response.
- The committee meets on the partnership at least once in every twelve months (SI 2009/942):
  the next meeting falls due, for the committee's members, twelve months after the last one
  recorded.

The reminders read this module through the cycles registered below.
"""

from collections import defaultdict
from collections.abc import Collection, Iterable
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.models import Membership, Partnership
from reminders.cycles import Cycle, DueItem, register

from .models import (
    CommitteeReport,
    CommitteeReportStatus,
    InformationRequest,
    InformationRequestStatus,
    ScrutinyMeeting,
)
from .policies import ANSWERING_ROLES, COMMITTEE_ROLES, ScrutinyPolicy

YEARLY_MEETING = timedelta(days=365)


def _people(memberships: QuerySet[Membership]) -> dict[int, frozenset[int]]:
    """The given memberships' users by partnership id (one query)."""
    people: dict[int, set[int]] = defaultdict(set)
    for partnership_id, user_id in memberships.order_by().values_list("partnership_id", "user_id"):
        people[partnership_id].add(user_id)
    return {partnership_id: frozenset(users) for partnership_id, users in people.items()}


def _ids(records: Iterable) -> set[int]:
    return {record.partnership_id for record in records}


def _narrowed(queryset: QuerySet, partnership_ids: Collection[int] | None) -> QuerySet:
    if partnership_ids is not None:
        queryset = queryset.filter(partnership_id__in=partnership_ids)
    return queryset


def _url(name: str, record, **kwargs) -> str:
    return reverse(
        f"scrutiny:{name}", kwargs={"partnership_slug": record.partnership.slug, **kwargs}
    )


def _information(requests: QuerySet[InformationRequest]) -> list[InformationRequest]:
    return list(
        requests.select_related("partnership").only(
            "pk",
            "title",
            "due_date",
            "requested_by_id",
            "answered_at",
            "partnership_id",
            "partnership__name",
            "partnership__slug",
        )
    )


def request_items(requests: QuerySet[InformationRequest]) -> list[DueItem]:
    """The given requests as items due from the coordinators (two queries)."""
    requests = _information(requests)
    if not requests:
        return []
    coordinators = _people(ScrutinyPolicy.answerers(_ids(requests)))
    return [
        DueItem(
            kind=InformationRequestCycle.kind,
            key=f"scrutiny_information:{request.pk}",
            partnership_id=request.partnership_id,
            partnership_name=request.partnership.name,
            due_on=request.due_date,
            title=gettext("Information for the scrutiny committee: %(title)s")
            % {"title": request.title},
            url=_url("information_request", request, information_request_id=request.pk),
            recipients=coordinators.get(request.partnership_id, frozenset()),
        )
        for request in requests
    ]


def answer_items(requests: QuerySet[InformationRequest]) -> list[DueItem]:
    """The given answered requests as items for the member who asked to read, while they are
    still a member of the committee (two queries)."""
    requests = _information(requests)
    if not requests:
        return []
    committee = _people(ScrutinyPolicy.committee(_ids(requests)))
    new_days = timedelta(days=settings.CSP_NEW_REPORT_DAYS)
    return [
        DueItem(
            kind=InformationAnswerCycle.kind,
            key=f"scrutiny_information_answer:{request.pk}",
            partnership_id=request.partnership_id,
            partnership_name=request.partnership.name,
            due_on=timezone.localdate(request.answered_at) + new_days,
            title=gettext("Answer to your information request: %(title)s")
            % {"title": request.title},
            url=_url("information_request", request, information_request_id=request.pk),
            recipients=frozenset(
                {request.requested_by_id} & committee.get(request.partnership_id, frozenset())
            ),
        )
        for request in requests
    ]


def response_items(reports: QuerySet[CommitteeReport]) -> list[DueItem]:
    """The given reports as items due from the coordinators (two queries)."""
    reports = list(
        reports.select_related("partnership").only(
            "pk",
            "title",
            "response_due",
            "partnership_id",
            "partnership__name",
            "partnership__slug",
        )
    )
    if not reports:
        return []
    coordinators = _people(ScrutinyPolicy.answerers(_ids(reports)))
    return [
        DueItem(
            kind=ReportResponseCycle.kind,
            key=f"scrutiny_report:{report.pk}",
            partnership_id=report.partnership_id,
            partnership_name=report.partnership.name,
            due_on=report.response_due,
            title=gettext("Response to the scrutiny committee's report: %(title)s")
            % {"title": report.title},
            url=_url("committee_report", report, committee_report_id=report.pk),
            recipients=coordinators.get(report.partnership_id, frozenset()),
        )
        for report in reports
    ]


@register
class InformationRequestCycle(Cycle):
    kind = "scrutiny_information_request"
    label = _("Information requested by the scrutiny committee")
    owing_roles = ANSWERING_ROLES
    year_order = 62

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        awaiting = InformationRequest.objects.filter(status=InformationRequestStatus.REQUESTED)
        return request_items(_narrowed(awaiting, partnership_ids))


@register
class InformationAnswerCycle(Cycle):
    kind = "scrutiny_information_answer"
    label = _("Answer to an information request of the scrutiny committee")
    owing_roles = COMMITTEE_ROLES
    to_read = True
    owed_by_partnership = False
    year_order = 63

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        since = today - timedelta(days=settings.CSP_NEW_REPORT_DAYS)
        answered = InformationRequest.objects.filter(
            status=InformationRequestStatus.ANSWERED, answered_at__date__gte=since
        )
        return answer_items(_narrowed(answered, partnership_ids))


@register
class ReportResponseCycle(Cycle):
    kind = "scrutiny_report_response"
    label = _("Response to a report of the scrutiny committee")
    owing_roles = ANSWERING_ROLES
    year_order = 64

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        awaiting = CommitteeReport.objects.filter(status=CommitteeReportStatus.AWAITING)
        return response_items(_narrowed(awaiting, partnership_ids))


@register
class YearlyMeetingCycle(Cycle):
    """Due only where a meeting has been recorded: the first one starts the clock."""

    kind = "scrutiny_yearly_meeting"
    label = _("Yearly meeting of the scrutiny committee on the partnership")
    owing_roles = COMMITTEE_ROLES
    owed_by_partnership = False
    year_order = 65

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        last = _narrowed(ScrutinyMeeting.objects.all(), partnership_ids)
        last = dict(
            last.values("partnership_id")
            .annotate(last=Max("held_on"))
            .values_list("partnership_id", "last")
        )
        if not last:
            return []
        partnerships = Partnership.objects.filter(pk__in=last).only("pk", "name", "slug")
        committee = _people(ScrutinyPolicy.committee(last))
        return [
            DueItem(
                kind=self.kind,
                key=f"scrutiny_meeting:{partnership.pk}:{last[partnership.pk].isoformat()}",
                partnership_id=partnership.pk,
                partnership_name=partnership.name,
                due_on=last[partnership.pk] + YEARLY_MEETING,
                title=gettext("The scrutiny committee's yearly meeting on %(name)s")
                % {"name": partnership.name},
                url=reverse("scrutiny:index", kwargs={"partnership_slug": partnership.slug}),
                recipients=committee.get(partnership.pk, frozenset()),
            )
            for partnership in partnerships
        ]
