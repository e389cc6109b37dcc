"""What falls due for the strategy group's meetings: a scheduled meeting whose day has passed is
recorded, and a held meeting's minutes are published to the members, by the coordinators within
``CSP_STRATEGY_MINUTES_DAYS`` of the meeting (a local default; the setting says so)."""

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from reminders.cycles import Cycle, DueItem, register

from .models import MeetingStatus, StrategyMeeting
from .policies import SECRETARY_ROLES, MeetingPolicy


@register
class MinutesCycle(Cycle):
    kind = "strategygroup_minutes"
    label = _("Minutes of a strategy group meeting")
    owing_roles = SECRETARY_ROLES
    year_order = 69

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        meetings = StrategyMeeting.objects.filter(
            status__in=[MeetingStatus.SCHEDULED, MeetingStatus.HELD], meets_on__lte=today
        )
        if partnership_ids is not None:
            meetings = meetings.filter(partnership_id__in=partnership_ids)
        meetings = list(
            meetings.select_related("partnership").only(
                "pk",
                "title",
                "meets_on",
                "status",
                "partnership_id",
                "partnership__name",
                "partnership__slug",
            )
        )
        if not meetings:
            return []
        people: dict[int, set[int]] = defaultdict(set)
        for partnership_id, user_id in (
            MeetingPolicy.secretaries({meeting.partnership_id for meeting in meetings})
            .order_by()
            .values_list("partnership_id", "user_id")
        ):
            people[partnership_id].add(user_id)
        days = timedelta(days=settings.CSP_STRATEGY_MINUTES_DAYS)
        return [
            DueItem(
                kind=self.kind,
                key=f"strategygroup_minutes:{meeting.pk}:{meeting.status}",
                partnership_id=meeting.partnership_id,
                partnership_name=meeting.partnership.name,
                due_on=meeting.meets_on + days,
                title=gettext("Minutes of the strategy group meeting: %(title)s")
                % {"title": meeting.title},
                url=reverse(
                    "strategygroup:meeting",
                    kwargs={"partnership_slug": meeting.partnership.slug, "meeting_id": meeting.pk},
                ),
                recipients=frozenset(people.get(meeting.partnership_id, ())),
            )
            for meeting in meetings
        ]
