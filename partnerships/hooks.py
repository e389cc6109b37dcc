"""What other apps do when someone's place in a partnership changes (they leave it, or their role
or organisation changes), and what they know about a partnership's merging into another.

Access to single records is given by the apps above this one (a domestic homicide review's
grants, in ``reviews``), and must not outlive the membership it was given under. This app cannot
call them (the dependencies point downwards), so each registers a function here in its
``AppConfig.ready`` and the membership services call ``membership_changed`` explicitly, inside
their transaction, after their own checks. (Not a signal: the call is in the service, in plain
sight.) A function may refuse the change by raising ValidationError, with a message for the
person making it; the whole change then rolls back.

A partnership in England combines with another only with the police and crime commissioner's
approval (Crime and Disorder Act 1998, s5A), which the PCC office records in ``oversight``; that
app registers its answer with ``register_combination_approval``, and ``partnership_merge`` asks
``combination_approved``. With nothing registered, no approval is recorded anywhere.
"""

from collections.abc import Callable
from dataclasses import dataclass

from accounts.models import User

from .models import Partnership


@dataclass(frozen=True)
class MembershipChange:
    """A person's place in a partnership, before and now (``role`` None: they have left it)."""

    user: User
    partnership: Partnership
    role_before: str
    organisation_id_before: int
    role: str | None
    organisation_id: int | None

    @property
    def ended(self) -> bool:
        return self.role is None

    @property
    def organisation_changed(self) -> bool:
        return self.organisation_id != self.organisation_id_before


Hook = Callable[..., None]
_HOOKS: list[Hook] = []


def register(hook: Hook) -> Hook:
    """Call ``hook(acting_user=..., change=...)`` on every membership change (once, whatever
    registers it again)."""
    if hook not in _HOOKS:
        _HOOKS.append(hook)
    return hook


def membership_changed(*, acting_user: User | None, change: MembershipChange) -> None:
    for hook in _HOOKS:
        hook(acting_user=acting_user, change=change)


CombinationApproval = Callable[..., bool]
_COMBINATION_APPROVALS: list[CombinationApproval] = []


def register_combination_approval(approved: CombinationApproval) -> CombinationApproval:
    """``approved(partnership=..., into=...)`` says whether a recorded approval covers combining
    the two (once, whatever registers it again)."""
    if approved not in _COMBINATION_APPROVALS:
        _COMBINATION_APPROVALS.append(approved)
    return approved


def combination_approved(*, partnership: Partnership, into: Partnership) -> bool:
    return any(approved(partnership=partnership, into=into) for approved in _COMBINATION_APPROVALS)
