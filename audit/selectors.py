from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .models import AuditEvent
from .need_to_know import visible_to

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Partnership


def audit_events_for_partnership(
    *,
    user: User,
    partnership: Partnership,
    action: str = "",
    actor_email: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    """The partnership's audit log as ``user`` may read it: rows about a need-to-know record
    (a review) only if they may see that record."""
    events = (
        AuditEvent.objects.filter(partnership=partnership)
        .filter(visible_to(user=user, partnership=partnership))
        .select_related("actor")
    )
    if action:
        events = events.filter(action=action)
    if actor_email:
        events = events.filter(
            Q(actor_label__icontains=actor_email) | Q(actor__full_name__icontains=actor_email)
        )
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events


def audit_actions_for_partnership(*, user: User, partnership: Partnership) -> list[str]:
    return list(
        AuditEvent.objects.filter(partnership=partnership)
        .filter(visible_to(user=user, partnership=partnership))
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
