"""The daily retention run (beat: retention.tasks.apply_retention): every record past its time in
the schedule (retention/selectors.py) is deleted, with its file in storage (the object store or
the media folder), and the counts are written to the audit log: one event per partnership that
lost records, and one for the whole service.

Nobody acts here: it is the operator's schedule, applied by the system, so it asks no policy.
It runs in batches, each in its own transaction; run twice, the second finds nothing to do.
"""

import logging
from collections import Counter, defaultdict
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from audit.services import audit_record
from partnerships.models import Partnership

from .models import RetentionRun
from .selectors import SCHEDULE, Kind

logger = logging.getLogger(__name__)

BATCH = 500


def _delete_batch(kind: Kind, *, now: datetime, per_partnership: Counter) -> int:
    lookup = kind.partnership_lookup
    with transaction.atomic():
        records = list(
            kind.due(now=now)
            .order_by("pk")
            .values_list("pk", *([f"{lookup}__pk"] if lookup else []))[:BATCH]
        )
        if not records:
            return 0
        ids = [record[0] for record in records]
        model = kind.due(now=now).model
        files = []
        if kind.file_field:
            files = [
                getattr(record, kind.file_field)
                for record in model._base_manager.filter(pk__in=ids)
            ]
        model._base_manager.filter(pk__in=ids).delete()
        for record in records:
            if lookup and record[1] is not None:
                per_partnership[record[1]] += 1
        # A file goes once the row that names it is gone for good.
        for file in files:
            if file:
                transaction.on_commit(
                    lambda name=file.name, storage=file.storage: storage.delete(name)
                )
    return len(ids)


def retention_apply(*, now: datetime | None = None) -> RetentionRun:
    """Delete what is past its time now; returns the run with its counts."""
    now = now or timezone.now()
    run = RetentionRun.objects.create(started_at=now)
    totals: dict[str, int] = {}
    by_partnership: dict[int, dict[str, int]] = defaultdict(dict)
    for kind in SCHEDULE:
        per_partnership: Counter = Counter()
        deleted = 0
        while batch := _delete_batch(kind, now=now, per_partnership=per_partnership):
            deleted += batch
        totals[kind.name] = deleted
        for partnership_id, count in per_partnership.items():
            by_partnership[partnership_id][kind.name] = count
    with transaction.atomic():
        run.counts = totals
        run.finished_at = timezone.now()
        run.save(update_fields=["counts", "finished_at"])
        for partnership in Partnership.objects.filter(pk__in=by_partnership).order_by("pk"):
            audit_record(
                acting_user=None,
                partnership=partnership,
                action="retention.applied",
                target=run,
                changes={
                    name: [count, 0] for name, count in by_partnership[partnership.pk].items()
                },
            )
        audit_record(
            acting_user=None,
            partnership=None,
            action="retention.applied",
            target=run,
            changes={name: [count, 0] for name, count in totals.items() if count},
        )
    logger.info("Retention run deleted %s", totals, extra={"counts": str(totals)})
    return run
