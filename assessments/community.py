"""What the community said, from the apps above this one: a small registry the engagement app
fills in its ``AppConfig.ready`` (docs/architecture.md: a lower app keeps a registry, a higher
app fills it, the lower app calls it in plain sight). The assessment's community section lists
each item as linked evidence beside the coordinator's own text. Reads only."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .models import StrategicAssessment


@dataclass(frozen=True)
class CommunityEvidence:
    title: str
    kind: str
    held_on: date
    people: int | None
    # "4 of 5": the responsible authorities' seats a senior person attended for.
    seats: str
    raised: str
    url: str


Provider = Callable[["StrategicAssessment"], list[CommunityEvidence]]
_PROVIDERS: list[Provider] = []


def register(provider: Provider) -> Provider:
    if provider not in _PROVIDERS:
        _PROVIDERS.append(provider)
    return provider


def community_evidence(assessment: StrategicAssessment) -> list[CommunityEvidence]:
    """Everything the registered apps hold on what the community said for this assessment, oldest
    first."""
    found = [item for provider in _PROVIDERS for item in provider(assessment)]
    return sorted(found, key=lambda item: item.held_on)
