"""Who sees which due item on Your work and the cycle view, besides the people it is due from.

An item's own people (``DueItem.recipients``) always see it: the cycle that made it decided who
owes it. This policy adds what a role watches without owing it, and nothing else compares roles
for these pages:

- a coordinator runs the partnership's cycle, so sees what is overdue in it and who owes it
  (never an item only its own people may know of, such as a DHR clock);
- a PCC office watches the cycles marked ``watched_by_force_area`` (the annual plan refresh) in
  each partnership of its force area it serves.
"""

from partnerships.models import Membership, Role

from .cycles import Cycle


class _WorkPolicy:
    def oversees(self, membership: Membership | None, cycle: Cycle) -> bool:
        """Whether the member sees others' overdue items of this cycle, with who owes them."""
        return (
            membership is not None
            and membership.role == Role.COORDINATOR
            and cycle.owed_by_partnership
            and not cycle.need_to_know
        )

    def watches(self, membership: Membership | None, cycle: Cycle) -> bool:
        """Whether the member follows this cycle's items, due or not, though they owe none."""
        return (
            membership is not None
            and membership.role == Role.PCC_OFFICE
            and cycle.watched_by_force_area
            and not cycle.need_to_know
        )

    def may_owe(self, membership: Membership, cycle: Cycle) -> bool:
        """Whether the member's role may owe any item of this cycle in their partnership: where
        not, none of its items there is theirs, and Your work does not ask the cycle."""
        return cycle.owing_roles is None or membership.role in cycle.owing_roles

    def shows_item(self, user_id: int, item, cycle: Cycle) -> bool:
        """Whether the cycle view may show this item's title and people to the member: always,
        unless only the item's own people may know of it (then it is only counted)."""
        return not cycle.need_to_know or user_id in item.recipients


WorkPolicy = _WorkPolicy()
