"""What falls due in the partnership's community engagement, when, and from whom.

The rules:

- A planned event is recorded (what was raised, who attended for each seat) by the coordinators
  within ``CSP_ENGAGEMENT_RECORD_DAYS`` of its date; a held event's summary is published on the
  public page within as many days of the day it was held (reg 12(4)(c)(ii) of SI 2007/1830 sets
  no period: the setting says where the default comes from). Publishing or cancelling ends it.
- The strategy group holds one or more public meetings in each year (reg 12(4)(a)): where one
  has taken place, the next falls due, for the coordinators, a year after the last.

The reminders read this module through the cycles registered below.
"""

from collections import defaultdict
from collections.abc import Collection
from datetime import date, timedelta

from django.conf import settings
from django.db.models import Max
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from partnerships.models import Partnership
from reminders.cycles import Cycle, DueItem, register

from .models import TOOK_PLACE, EngagementEvent, EventKind, EventStatus
from .policies import ORGANISING_ROLES, EventPolicy

YEARLY_MEETING = timedelta(days=365)


def _organisers(partnership_ids: Collection[int]) -> dict[int, frozenset[int]]:
    """The organisers of these partnerships, by partnership (one query, none without any)."""
    if not partnership_ids:
        return {}
    people: dict[int, set[int]] = defaultdict(set)
    for partnership_id, user_id in (
        EventPolicy.organisers(partnership_ids).order_by().values_list("partnership_id", "user_id")
    ):
        people[partnership_id].add(user_id)
    return {key: frozenset(users) for key, users in people.items()}


@register
class EngagementEventCycle(Cycle):
    kind = "engagement_event"
    label = _("Public meeting or consultation to record and publish")
    owing_roles = ORGANISING_ROLES
    year_order = 66

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        events = EngagementEvent.objects.filter(
            status__in=[EventStatus.PLANNED, EventStatus.HELD]
        ).select_related("partnership")
        if partnership_ids is not None:
            events = events.filter(partnership_id__in=partnership_ids)
        events = list(
            events.only(
                "pk",
                "title",
                "status",
                "planned_on",
                "held_on",
                "partnership_id",
                "partnership__name",
                "partnership__slug",
            )
        )
        if not events:
            return []
        people = _organisers({event.partnership_id for event in events})
        days = timedelta(days=settings.CSP_ENGAGEMENT_RECORD_DAYS)
        items = []
        for event in events:
            if event.status == EventStatus.PLANNED:
                due_on = event.planned_on + days
                title = gettext("Record what was raised at %(title)s") % {"title": event.title}
            else:
                due_on = event.held_on + days
                title = gettext("Publish the summary of %(title)s") % {"title": event.title}
            items.append(
                DueItem(
                    kind=self.kind,
                    key=f"engagement_event:{event.pk}:{event.status}",
                    partnership_id=event.partnership_id,
                    partnership_name=event.partnership.name,
                    due_on=due_on,
                    title=title,
                    url=reverse(
                        "engagement:event",
                        kwargs={"partnership_slug": event.partnership.slug, "event_id": event.pk},
                    ),
                    recipients=people.get(event.partnership_id, frozenset()),
                )
            )
        return items


@register
class YearlyPublicMeetingCycle(Cycle):
    """Due only where a public meeting has taken place: the first one starts the clock."""

    kind = "engagement_yearly_meeting"
    label = _("The partnership's yearly public meeting")
    owing_roles = ORGANISING_ROLES
    year_order = 67

    def due(self, *, today: date, partnership_ids: Collection[int] | None = None):
        held = EngagementEvent.objects.filter(kind=EventKind.PUBLIC_MEETING, status__in=TOOK_PLACE)
        if partnership_ids is not None:
            held = held.filter(partnership_id__in=partnership_ids)
        last = dict(
            held.values("partnership_id")
            .annotate(last=Max("held_on"))
            .values_list("partnership_id", "last")
        )
        if not last:
            return []
        partnerships = Partnership.objects.filter(pk__in=last).only("pk", "name", "slug")
        people = _organisers(last)
        return [
            DueItem(
                kind=self.kind,
                key=f"engagement_meeting:{partnership.pk}:{last[partnership.pk].isoformat()}",
                partnership_id=partnership.pk,
                partnership_name=partnership.name,
                due_on=last[partnership.pk] + YEARLY_MEETING,
                title=gettext("The yearly public meeting of %(name)s") % {"name": partnership.name},
                url=reverse("engagement:index", kwargs={"partnership_slug": partnership.slug}),
                recipients=people.get(partnership.pk, frozenset()),
            )
            for partnership in partnerships
        ]
