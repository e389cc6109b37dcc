"""What the strategy group decided about a plan, from the app above this one: a small registry
the strategygroup app fills in its ``AppConfig.ready`` (docs/architecture.md: a lower app keeps a
registry, a higher app fills it, the lower app calls it in plain sight). The plan's page shows the
decisions that recorded its sign-off, beside its sign-off table; an action's progress page, the
decisions about that action. Reads only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partnerships.models import Membership

    from .models import PartnershipPlan, PlanAction


@dataclass(frozen=True)
class GroupDecision:
    # "Strategy group, March (3 March 2027), decision 2"
    text: str
    url: str


SignOffProvider = Callable[["PartnershipPlan", "Membership | None"], list[GroupDecision]]
ActionProvider = Callable[["PlanAction", "Membership | None"], list[GroupDecision]]
_SIGN_OFF_PROVIDERS: list[SignOffProvider] = []
_ACTION_PROVIDERS: list[ActionProvider] = []


def register(*, sign_offs: SignOffProvider, actions: ActionProvider) -> None:
    if sign_offs not in _SIGN_OFF_PROVIDERS:
        _SIGN_OFF_PROVIDERS.append(sign_offs)
    if actions not in _ACTION_PROVIDERS:
        _ACTION_PROVIDERS.append(actions)


def sign_off_decisions(plan: PartnershipPlan, membership: Membership | None) -> list[GroupDecision]:
    """The decisions that record this plan version's sign-off, that this member may read."""
    return [item for provider in _SIGN_OFF_PROVIDERS for item in provider(plan, membership)]


def action_decisions(action: PlanAction, membership: Membership | None) -> list[GroupDecision]:
    """The decisions about this action, that this member may read."""
    return [item for provider in _ACTION_PROVIDERS for item in provider(action, membership)]
