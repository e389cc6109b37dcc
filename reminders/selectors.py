"""Read paths for a person's own notifications (nobody reads another person's), their Your work
and a partnership's cycle view."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from accounts.models import User
from partnerships.models import Membership, Partnership

from .cycles import Cycle, DueItem, WorkflowLine, cycle_for, cycles, due_items
from .models import VISIBLE_STATUSES, EmailPreference, Frequency, Notification
from .policies import WorkPolicy


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """The person's notifications about partnerships they still serve: someone who has left a
    partnership no longer reads its items' titles."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(
        user=user,
        status__in=VISIBLE_STATUSES,
        partnership_id__in=Membership.objects.filter(user=user).values("partnership_id"),
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return notifications_of(user=user).select_related("partnership").order_by("-created_at", "-pk")


def notification_for(*, user: User, notification_id: int) -> Notification:
    try:
        return notifications_of(user=user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None


def unread_count(*, user: User) -> int:
    """One query; the header shows it on every page."""
    return notifications_of(user=user).filter(read_at__isnull=True).count()


def email_frequency(*, user: User) -> str:
    preference = EmailPreference.objects.filter(user=user).values_list("frequency", flat=True)
    return preference.first() or Frequency.IMMEDIATE


# Your work and the cycle view --------------------------------------------------------------------
#
# Both read the deadline registry (``reminders.cycles``), the one the sweep reads: an item is on a
# person's Your work exactly when the sweep would remind them of it, and the cycle view lists what
# the sweep chases in one partnership. Each cycle reads in a fixed number of queries, so neither
# page grows in queries with the number of items or partnerships; names of the people who owe an
# item are one more query, for the rows shown.


def work_day() -> date:
    """The day Your work and the cycle view are read for (tests move it)."""
    return timezone.localdate()


# How many rows a page lists; the rest are a page further on (Your work) or a link away (cycles).
WORK_PAGE_SIZE = 50
# How many of another's overdue items (a coordinator's) or watched items (a PCC office's) Your
# work lists before it points at the cycle view.
WATCHED_ROWS = 50
# How many rows of each cycle the cycle view lists before "See all".
CYCLE_ROWS = 10
# An item due within this many days is "due soon"; later ones are "later".
SOON_DAYS = 14


class Standing(StrEnum):
    """How an item stands today, by colour and in words (``standing_text``)."""

    OVERDUE = "overdue"
    SOON = "soon"
    LATER = "later"
    NEW = "new"


STANDING_TEXT = {
    Standing.OVERDUE: _("Overdue"),
    Standing.SOON: _("Due soon"),
    Standing.LATER: _("On track"),
    Standing.NEW: _("New"),
}
STANDING_COLOUR = {
    Standing.OVERDUE: "red",
    Standing.SOON: "yellow",
    Standing.LATER: "green",
    Standing.NEW: "blue",
}


def standing(item: DueItem, cycle: Cycle | None, today: date) -> Standing:
    if cycle is not None and cycle.to_read:
        return Standing.NEW
    if item.is_overdue(today):
        return Standing.OVERDUE
    if item.days_left(today) <= SOON_DAYS:
        return Standing.SOON
    return Standing.LATER


@dataclass(frozen=True)
class WorkRow:
    """One item as a page shows it."""

    item: DueItem
    label: str
    standing: Standing
    days_left: int
    # Who owes it, when the page shows another's item: names, in order.
    owed_by: tuple[str, ...] = ()

    @property
    def standing_text(self) -> str:
        return str(STANDING_TEXT[self.standing])

    @property
    def colour(self) -> str:
        return STANDING_COLOUR[self.standing]

    @property
    def days_overdue(self) -> int:
        return -self.days_left


def _row(item: DueItem, today: date, names: dict[int, str] | None = None) -> WorkRow:
    cycle = cycle_for(item.kind)
    owed_by = ()
    if names is not None:
        owed_by = tuple(sorted(names[user_id] for user_id in item.recipients if user_id in names))
    return WorkRow(
        item=item,
        label=str(cycle.label) if cycle else "",
        standing=standing(item, cycle, today),
        days_left=item.days_left(today),
        owed_by=owed_by,
    )


def _names(items: Iterable[DueItem]) -> dict[int, str]:
    """The names of the people the items are due from (one query, none when there are none)."""
    wanted = {user_id for item in items for user_id in item.recipients}
    if not wanted:
        return {}
    return {
        pk: full_name or email
        for pk, full_name, email in User.objects.filter(pk__in=wanted).values_list(
            "pk", "full_name", "email"
        )
    }


def _by_date(items: Iterable[DueItem]) -> list[DueItem]:
    return sorted(items, key=lambda item: (item.due_on, item.partnership_name, item.title))


@dataclass
class YourWork:
    """What a person has to do, across their partnerships (or in one)."""

    memberships: list[Membership]
    # The person's own items on this page, grouped: [(standing, rows)], overdue first.
    groups: list[tuple[Standing, list[WorkRow]]]
    page: Page
    # What they read rather than do (issued reports, new to them).
    to_read: list[WorkRow]
    # Others' overdue items in partnerships they coordinate, with who owes them.
    overdue_in_partnerships: list[WorkRow]
    overdue_in_partnerships_count: int
    # Items of their force area's partnerships a PCC office follows.
    watched: list[WorkRow]
    watched_count: int
    partnership: Partnership | None = None
    membership: Membership | None = None

    @property
    def is_empty(self) -> bool:
        return not (self.page.object_list or self.to_read or self.overdue_in_partnerships) and (
            not self.watched
        )


def _work_items(*, user: User, serving: dict[int, Membership], today: date) -> list[DueItem]:
    """What every cycle has due in the partnerships served: all of it where the person's role
    oversees or watches the cycle, only their own share elsewhere (asked of the cycle, which may
    read just that share: an analyst in 32 partnerships owes little of what they hold), and
    nothing where their role can never owe it (the cycle is not asked there at all)."""
    items: list[DueItem] = []
    for cycle in cycles(to_read=None):
        wider = [
            partnership_id
            for partnership_id, membership in serving.items()
            if WorkPolicy.oversees(membership, cycle) or WorkPolicy.watches(membership, cycle)
        ]
        own = [
            partnership_id
            for partnership_id, membership in serving.items()
            if partnership_id not in wider and WorkPolicy.may_owe(membership, cycle)
        ]
        if wider:
            items += cycle.due(today=today, partnership_ids=wider)
        if own:
            items += cycle.due_to(user_id=user.pk, today=today, partnership_ids=own)
    return items


def memberships_of(*, user: User) -> list[Membership]:
    """The partnerships the person serves, by name, for Your work."""
    return list(
        Membership.objects.filter(user=user)
        .select_related("partnership", "organisation")
        .order_by("partnership__name")
    )


def chosen_membership(memberships: list[Membership], partnership_slug: str) -> Membership | None:
    """The membership of the partnership Your work is narrowed to (``?partnership=``), None for
    all of them; a partnership the person does not serve is not found (404)."""
    if not partnership_slug:
        return None
    chosen = next((m for m in memberships if m.partnership.slug == partnership_slug), None)
    if chosen is None:
        raise Http404
    return chosen


def your_work(
    *,
    user: User,
    today: date,
    partnership_slug: str = "",
    page_number=None,
    memberships: list[Membership] | None = None,
) -> YourWork:
    """Every item due from ``user`` in the partnerships they serve (or in the one named), read
    from the deadline registry, with what their roles watch beside it. A partnership they do not
    serve is not found (404). ``memberships``: ``memberships_of(user)``, where the caller has it."""
    if memberships is None:
        memberships = memberships_of(user=user)
    chosen = chosen_membership(memberships, partnership_slug)
    serving = {m.partnership_id: m for m in ([chosen] if chosen else memberships)}
    items = _work_items(user=user, serving=serving, today=today)
    own, to_read, overseen, watched = [], [], [], []
    for item in items:
        cycle = cycle_for(item.kind)
        membership = serving.get(item.partnership_id)
        if cycle is None or membership is None:
            continue
        if user.pk in item.recipients:
            (to_read if cycle.to_read else own).append(item)
        elif item.is_overdue(today) and WorkPolicy.oversees(membership, cycle):
            overseen.append(item)
        elif WorkPolicy.watches(membership, cycle):
            watched.append(item)
    page = Paginator(_by_date(own), WORK_PAGE_SIZE).get_page(page_number)
    overseen, watched = _by_date(overseen), _by_date(watched)
    shown_overseen = overseen[:WATCHED_ROWS]
    names = _names(shown_overseen)
    rows = [_row(item, today) for item in page.object_list]
    groups = [
        (group, [row for row in rows if row.standing == group])
        for group in (Standing.OVERDUE, Standing.SOON, Standing.LATER)
    ]
    return YourWork(
        memberships=memberships,
        groups=[(group, group_rows) for group, group_rows in groups if group_rows],
        page=page,
        to_read=[_row(item, today) for item in _by_date(to_read)[:WATCHED_ROWS]],
        overdue_in_partnerships=[_row(item, today, names) for item in shown_overseen],
        overdue_in_partnerships_count=len(overseen),
        watched=[_row(item, today) for item in watched[:WATCHED_ROWS]],
        watched_count=len(watched),
        partnership=chosen.partnership if chosen else None,
        membership=chosen,
    )


@dataclass
class CycleSection:
    """One cycle of the partnership's year on the cycle view."""

    cycle: Cycle
    rows: list[WorkRow]
    # Where the cycle's workflow stands, each line linking to where to act on it.
    workflow: list[WorkflowLine]
    # Items shown on this page or a link away, by standing (need-to-know ones included).
    total: int
    overdue: int
    # Items only their own people may know of: counted, never shown.
    hidden: int
    hidden_overdue: int

    @property
    def visible_total(self) -> int:
        return self.total - self.hidden

    @property
    def more(self) -> int:
        return self.visible_total - len(self.rows)


@dataclass
class PartnershipCycle:
    sections: list[CycleSection]
    overdue: int
    soon: int
    kind: str = ""
    only_overdue: bool = False
    page: Page | None = None


def partnership_cycle(
    *,
    membership: Membership,
    today: date,
    kind: str = "",
    only_overdue: bool = False,
    page_number=None,
) -> PartnershipCycle:
    """Where one partnership is in its year: each registered cycle's open items, what is late
    and who owes it. Items of a need-to-know cycle the member has no access to are counted only.
    ``kind`` narrows it to one cycle (paged); ``only_overdue`` to what is late."""
    wanted = [cycle for cycle in cycles(to_read=None) if not kind or cycle.kind == kind]
    if kind and not wanted:
        raise Http404
    items = due_items(
        today=today,
        partnership_ids=[membership.partnership_id],
        kinds=[cycle.kind for cycle in wanted],
        to_read=None,
    )
    by_kind: dict[str, list[DueItem]] = {cycle.kind: [] for cycle in wanted}
    for item in items:
        if only_overdue and not item.is_overdue(today):
            continue
        by_kind.setdefault(item.kind, []).append(item)
    page = None
    chosen: dict[str, list[DueItem]] = {}
    for cycle in wanted:
        shown = [
            item
            for item in _by_date(by_kind[cycle.kind])
            if WorkPolicy.shows_item(membership.user_id, item, cycle)
        ]
        if kind:
            page = Paginator(shown, WORK_PAGE_SIZE).get_page(page_number)
            chosen[cycle.kind] = list(page.object_list)
        else:
            chosen[cycle.kind] = shown[:CYCLE_ROWS]
    names = _names(item for rows in chosen.values() for item in rows)
    sections = []
    for cycle in wanted:
        every = by_kind[cycle.kind]
        hidden = [
            item for item in every if not WorkPolicy.shows_item(membership.user_id, item, cycle)
        ]
        sections.append(
            CycleSection(
                cycle=cycle,
                rows=[_row(item, today, names) for item in chosen[cycle.kind]],
                workflow=cycle.workflow_lines(
                    partnership_id=membership.partnership_id, today=today
                ),
                total=len(every),
                overdue=sum(1 for item in every if item.is_overdue(today) and not cycle.to_read),
                hidden=len(hidden),
                hidden_overdue=sum(1 for item in hidden if item.is_overdue(today)),
            )
        )
    return PartnershipCycle(
        sections=sections,
        overdue=sum(section.overdue for section in sections),
        soon=0
        if only_overdue
        else sum(
            1
            for item in items
            if (cycle := cycle_for(item.kind))
            and not cycle.to_read
            and 0 <= item.days_left(today) <= SOON_DAYS
        ),
        kind=kind,
        only_overdue=only_overdue,
        page=page,
    )
