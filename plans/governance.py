"""Where the strategy group recorded a plan's sign-off, from the app above this one: a small
registry the strategygroup app fills in its ``AppConfig.ready`` (docs/architecture.md: a lower app
keeps a registry, a higher app fills it, the lower app calls it in plain sight). The plan's page
shows each record beside its sign-off table. Reads only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partnerships.models import Membership

    from .models import PartnershipPlan


@dataclass(frozen=True)
class SignOffDecision:
    # "Strategy group, March (3 March 2027), decision 2"
    text: str
    url: str


Provider = Callable[["PartnershipPlan", "Membership | None"], list[SignOffDecision]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def sign_off_decisions(
    plan: PartnershipPlan, membership: Membership | None
) -> list[SignOffDecision]:
    """The decisions that record this plan version's sign-off, that this member may read."""
    return [item for provider in _PROVIDERS for item in provider(plan, membership)]
