from datetime import date

from django.db.models import QuerySet

from partnerships.models import Partnership

from .models import AuditEvent


def audit_events_for_partnership(
    *,
    partnership: Partnership,
    action: str = "",
    actor_email: str = "",
    date_from: date | None = None,
    date_to: date | None = None,
) -> QuerySet[AuditEvent]:
    events = AuditEvent.objects.filter(partnership=partnership).select_related("actor")
    if action:
        events = events.filter(action=action)
    if actor_email:
        events = events.filter(actor_label__icontains=actor_email)
    if date_from:
        events = events.filter(occurred_at__date__gte=date_from)
    if date_to:
        events = events.filter(occurred_at__date__lte=date_to)
    return events


def audit_actions_for_partnership(*, partnership: Partnership) -> list[str]:
    return list(
        AuditEvent.objects.filter(partnership=partnership)
        .order_by("action")
        .values_list("action", flat=True)
        .distinct()
    )
