from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db import models

from csp_portal.changes import changed

from . import need_to_know
from .models import AuditEvent

if TYPE_CHECKING:
    from accounts.models import User
    from partnerships.models import Partnership


def audit_record(
    *,
    acting_user: User | None,
    partnership: Partnership | None,
    action: str,
    target: models.Model,
    changes: dict[str, list[Any]] | None = None,
) -> AuditEvent:
    """Record one change. Call inside the service's transaction, after the change is saved."""
    scope, record_id = need_to_know.record_of(target)
    # Pages kept under the partnership's change stamp are worked out again once this commits.
    changed(partnership.pk if partnership else None)
    return AuditEvent.objects.create(
        need_to_know=scope,
        need_to_know_id=record_id,
        actor=acting_user,
        actor_label=acting_user.email if acting_user else "system",
        partnership=partnership,
        action=action,
        object_type=target._meta.label_lower,
        object_id=str(target.pk),
        object_repr=str(target)[:255],
        changes={
            key: [_plain(before), _plain(after)] for key, (before, after) in (changes or {}).items()
        },
    )


def _plain(value: Any) -> Any:
    """JSON-safe: numbers, strings, booleans, lists and None as they are; anything else as text."""
    if value is None or isinstance(value, bool | int | float | str | list):
        return value
    return str(value)
