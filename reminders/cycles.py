"""The registry of statutory cycles: each answers "what is due, when, and for whom".

A cycle lives in its own app's ``deadlines.py`` (``assessments.deadlines``, ``plans.deadlines``;
later ``reviews.deadlines`` for DHR clocks and a module for PCC report requests) and registers
itself with ``@register``. ``RemindersConfig.ready`` imports every installed app's ``deadlines``
module, so a new cycle plugs in with that one module and nothing else changes: the sweep, the
digests and the send-time check all read the registry.

A cycle reads the models in a fixed number of queries however many items are due (the sweep's
query count must not grow with the data) and returns ``DueItem``s. The item carries the words a
message may show: its title, its partnership, its due date and a link. Nothing else of the record
reaches an email, so a cycle whose records are sensitive (a DHR) puts only what may be shown in
the title (a reference and a pseudonym).
"""

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date

from django.conf import settings
from django.db.models import QuerySet


@dataclass(frozen=True)
class DueItem:
    """One thing that falls due: a contribution, a sign-off, a quarter's update."""

    kind: str
    # Stable across sweeps: the outbox's unique constraint is (key, due date, person, stage).
    key: str
    partnership_id: int
    partnership_name: str
    due_on: date
    title: str
    # A path inside the service; emails make it absolute with CSP_SITE_URL.
    url: str
    recipients: frozenset[int]
    # Only the coordinators' weekly digest lists other items here: ({"kind", "title", "due_on",
    # "url"}, …).
    details: tuple = ()

    def days_left(self, today: date) -> int:
        return (self.due_on - today).days

    def is_overdue(self, today: date) -> bool:
        return self.due_on < today


@dataclass(frozen=True)
class WorkflowLine:
    """Where one workflow of a partnership stands now, in a line ("Partnership plan 2027-30: in
    consultation until 12 January 2028, 3 of 5 seats signed"), and the page to act on it."""

    text: str
    url: str


class Cycle:
    """One kind of deadline. Subclasses set ``kind`` and ``label`` and implement ``due``."""

    kind: str = ""
    # What kind of thing it is, in words for a person ("Contribution request").
    label = ""
    # Items only their own recipients may know of (a DHR): never listed in anyone else's digest.
    need_to_know = False
    # Items the partnership itself owes, which its coordinators' weekly digest of what is overdue
    # lists. Not so an item owed to the partnership from outside (a PCC office to read an answer).
    owed_by_partnership = True
    # Items to read, not to do (a progress report newly issued to scrutiny): listed on Your work
    # and the cycle view, never reminded by the sweep. Their due date is the last day they count
    # as new.
    to_read = False
    # Items the PCC office of the partnership's force area watches on Your work, though it does
    # not owe them (the annual refresh of a plan in its area).
    watched_by_force_area = False
    # Where the cycle sits in the partnership's year, for the cycle view's order.
    year_order = 100
    # The roles whose members may be among an item's recipients in its partnership (the roles the
    # cycle's own query of whom it is due from reads), so that Your work asks the cycle for a
    # person's share only where they hold one: an analyst in 32 partnerships owes no sign-off.
    # None: any role may owe it.
    owing_roles: frozenset[str] | None = None

    def due(
        self, *, today: date, partnership_ids: Collection[int] | None = None
    ) -> Iterable[DueItem]:
        """Every item not yet done, overdue or not, with whom it is due from. ``partnership_ids``
        narrows it to those partnerships (the send-time check and the digests ask that)."""
        raise NotImplementedError

    def due_to(
        self, *, user_id: int, today: date, partnership_ids: Collection[int]
    ) -> Iterable[DueItem]:
        """The items of ``due`` that one person is among the recipients of, in those
        partnerships: what Your work lists where the person only owes. A cycle whose ``due``
        reads much more than one person's share (every action of every plan) overrides it to
        ask its tables for that share alone, returning the very same items."""
        return [
            item
            for item in self.due(today=today, partnership_ids=partnership_ids)
            if user_id in item.recipients
        ]

    def due_to_members(self, members: QuerySet, *, user_id: int, today: date) -> list[DueItem]:
        """``due_to`` for a cycle whose items are due from members of the partnership in some
        roles, ``members`` being that policy's query over the partnerships asked about: only the
        partnerships where this person is one are read (an analyst runs no plan and reads no
        report)."""
        theirs = list(members.filter(user_id=user_id).values_list("partnership_id", flat=True))
        if not theirs:
            return []
        return [
            item
            for item in self.due(today=today, partnership_ids=theirs)
            if user_id in item.recipients
        ]

    def workflow_lines(self, *, partnership_id: int, today: date) -> list[WorkflowLine]:
        """Where the cycle's workflow stands in one partnership, for the top of its part of the
        cycle view, in a fixed number of queries. Nothing of a need-to-know record: the cycle
        view shows every member who reads it the same lines."""
        return []


_CYCLES: dict[str, Cycle] = {}


def register(cls: type[Cycle]) -> type[Cycle]:
    """Class decorator: add the cycle to the registry (once, whatever imports it again)."""
    if not cls.kind:
        raise ValueError(f"{cls.__name__} needs a kind")
    _CYCLES[cls.kind] = cls()
    return cls


def cycles(*, to_read: bool | None = False) -> list[Cycle]:
    """The registered cycles in the order of the year: those that remind (the default), those
    to read (``to_read=True``), or all (``None``)."""
    return sorted(
        (cycle for cycle in _CYCLES.values() if to_read is None or cycle.to_read == to_read),
        key=lambda cycle: (cycle.year_order, cycle.kind),
    )


def cycle_for(kind: str) -> Cycle | None:
    return _CYCLES.get(kind)


def label_for(kind: str) -> str:
    cycle = _CYCLES.get(kind)
    return str(cycle.label) if cycle else ""


def due_items(
    *,
    today: date,
    partnership_ids: Collection[int] | None = None,
    kinds: Iterable[str] = (),
    to_read: bool | None = False,
) -> list[DueItem]:
    """What every registered cycle (or the ``kinds`` asked for) has due. The sweep and the send
    check read the cycles that remind; Your work and the cycle view ask for all (``None``)."""
    wanted = (
        [_CYCLES[kind] for kind in kinds if kind in _CYCLES] if kinds else cycles(to_read=to_read)
    )
    return [
        item for cycle in wanted for item in cycle.due(today=today, partnership_ids=partnership_ids)
    ]


# Stages -----------------------------------------------------------------------------------------

NEW = "new"
OVERDUE = "overdue"
WEEKLY = "weekly"


def stage_days() -> list[int]:
    """Days before the due date at which a reminder goes, largest first (14, 7, 1)."""
    return sorted({int(days) for days in settings.REMINDERS_STAGE_DAYS}, reverse=True)


def stage_for(due_on: date, today: date) -> str | None:
    """The reminder an item is at today: the smallest stage that still covers the days left, so
    a day the sweep missed is caught up the next day; "overdue" once the date has passed; None
    while the item is further away than the largest stage."""
    days_left = (due_on - today).days
    if days_left < 0:
        return OVERDUE
    for days in sorted(stage_days()):
        if days_left <= days:
            return str(days)
    return None
