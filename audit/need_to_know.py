"""Audit rows about records that only some people may know of (a domestic homicide review).

An app whose records are need-to-know registers a ``NeedToKnow`` in its ``AppConfig.ready``:
its ``scope``, which of its records an audited target is or belongs to (``record_of``), and which
of them a person may see in a partnership (``visible``: a queryset of their primary keys).
``audit_record`` marks each row with its record; the partnership's audit log then shows a marked
row only to those who may see that record, decided in the query itself (a subquery), so a page
of the log costs the same however many rows it hides. A row marked with a scope nobody has
registered is shown to nobody.

The audit app sits below the apps whose records these are, so it cannot ask them; they tell it.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db import models
from django.db.models import Q, QuerySet


@dataclass(frozen=True)
class NeedToKnow:
    scope: str
    record_of: Callable[[models.Model], int | None]
    visible: Callable[..., QuerySet]  # (user, partnership) -> primary keys


_REGISTRY: dict[str, NeedToKnow] = {}


def register(need_to_know: NeedToKnow) -> NeedToKnow:
    _REGISTRY[need_to_know.scope] = need_to_know
    return need_to_know


def record_of(target: models.Model) -> tuple[str, int | None]:
    """The need-to-know record ``target`` is or belongs to: ``("", None)`` for most targets."""
    for entry in _REGISTRY.values():
        record_id = entry.record_of(target)
        if record_id is not None:
            return entry.scope, record_id
    return "", None


def visible_to(*, user, partnership) -> Q:
    """The audit rows of ``partnership`` that ``user`` may see, as a filter."""
    condition = Q(need_to_know="")
    for entry in _REGISTRY.values():
        condition |= Q(
            need_to_know=entry.scope, need_to_know_id__in=entry.visible(user, partnership)
        )
    return condition
