"""Row locks and status changes, each written once.

Workflow status is data: a model's ``TextChoices`` and a map of the statuses each may move to
(``PLAN_TRANSITIONS`` ...). ``transition`` is the only code that changes a status: it locks the
row, reads it again, checks the map, saves and writes the audit event, in the caller's
transaction. ``locked`` and ``locked_rows`` are the only ways a service takes a row lock.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypeVar

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from audit.services import audit_record

if TYPE_CHECKING:
    from accounts.models import User

M = TypeVar("M", bound=Model)


def locked(obj: M, *, related: Iterable[str] = (), **scope: Any) -> M:
    """``obj`` read again under a row lock on its own table (``FOR UPDATE OF``), with
    ``related`` joined. ``scope`` (``partnership=...``) makes a row outside it DoesNotExist, so a
    service handed another partnership's record fails as a view would: not found."""
    return (
        type(obj)
        ._default_manager.select_for_update(of=("self",))
        .select_related(*related)
        .get(pk=obj.pk, **scope)
    )


def locked_rows(queryset: QuerySet[M]) -> list[M]:
    """Every row of ``queryset`` locked, always in primary-key order, so two services locking
    overlapping sets wait for each other instead of deadlocking."""
    return list(queryset.select_for_update(of=("self",)).order_by("pk"))


def transition_error(obj: Model, to: str) -> ValidationError:
    status_field = obj._meta.get_field("status")
    labels = dict(status_field.choices)
    return ValidationError(
        _("This %(thing)s is %(current)s and cannot be made %(next)s.")
        % {
            "thing": obj._meta.verbose_name,
            "current": str(labels.get(obj.status, obj.status)).lower(),
            "next": str(labels.get(to, to)).lower(),
        },
        code="transition",
    )


def transition(
    obj: M,
    to: str,
    *,
    transitions: Mapping[str, Iterable[str]],
    acting_user: User | None,
    action: str,
    audit_changes: Mapping[str, list[Any]] | None = None,
    **fields: Any,
) -> M:
    """Move ``obj`` to status ``to``: lock and re-read the row, refuse a move the map does not
    allow (a ``ValidationError`` a form can show), set ``status``, ``status_changed_at`` where
    the model has it and ``fields``, save, and audit the change with the row's partnership.

    ``obj`` is read again under the lock, so a change made to it in memory before the call is
    lost: pass every change in ``fields``. ``audit_changes`` replaces the audit's record of
    ``fields`` (for a field too large or too private to copy into the log).
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("transition() runs inside the service's transaction")
    current = locked(obj)
    for field in obj._meta.concrete_fields:
        setattr(obj, field.attname, getattr(current, field.attname))
    if to not in transitions.get(obj.status, ()):
        raise transition_error(obj, to)
    before = obj.status
    obj.status = to
    if any(field.name == "status_changed_at" for field in obj._meta.concrete_fields):
        obj.status_changed_at = timezone.now()
    for name, value in fields.items():
        setattr(obj, name, value)
    obj.save()
    changes = {"status": [before, to]}
    changes.update(
        audit_changes if audit_changes is not None else {k: [None, v] for k, v in fields.items()}
    )
    audit_record(
        acting_user=acting_user,
        partnership=getattr(obj, "partnership", None),
        action=action,
        target=obj,
        changes=changes,
    )
    return obj
