"""The daily sweep: ask every cycle what is due, and write one outbox row per (item, person,
stage). Writing is all it does; ``reminders.outbox`` sends.

The rows go in with one ``INSERT … ON CONFLICT DO NOTHING`` against the unique constraint
(item, due date, person, stage), so a sweep that runs twice, is retried, or runs alongside
another writes each row once. Its query count is fixed: each cycle reads in a fixed number of
queries, the coordinators for the weekly digest are one more, who chose Welsh one more, and the
insert is one. The cycles are read again in Welsh when someone chose it, so each row's title is
in its recipient's language (the in-app notification; the email re-reads it as it is sent).
"""

import json
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from django.conf import settings
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.models import User
from csp_portal.languages import Language, language_of, recipient_language
from partnerships.policies import MembershipPolicy

from .cycles import NEW, WEEKLY, DueItem, cycle_for, due_items, stage_for
from .models import DeliveryStatus, Notification, SweepRun

WEEKLY_KIND = "weekly_digest"


@dataclass(frozen=True)
class Row:
    """An outbox row before it is written."""

    item: DueItem
    user_id: int
    stage: str
    status: str = DeliveryStatus.PENDING
    url: str = ""


@dataclass(frozen=True)
class SweepResult:
    items: int
    rows: int
    written: int


def reminders_sweep(*, today: date | None = None) -> SweepResult:
    """Write today's reminders to the outbox. Safe to run any number of times, at once too."""
    today = today or timezone.localdate()
    run = SweepRun.objects.create(day=today)
    items = due_items(today=today)
    digests = weekly_digests(today=today, items=items)

    def reread() -> list[DueItem]:
        again = due_items(today=today)
        return again + weekly_digests(today=today, items=again)

    worded = in_recipients_languages([*items, *digests], reread)
    rows = [
        Row(item=worded(item, user_id), user_id=user_id, stage=stage)
        for item in items
        if (stage := stage_for(item.due_on, today)) is not None
        for user_id in sorted(item.recipients)
    ]
    rows += [
        Row(item=worded(digest, user_id), user_id=user_id, stage=WEEKLY)
        for digest in digests
        for user_id in sorted(digest.recipients)
    ]
    written = len(insert_rows(rows))
    SweepRun.objects.filter(pk=run.pk).update(
        finished_at=timezone.now(), items=len(items), rows_written=written
    )
    return SweepResult(items=len(items), rows=len(rows), written=written)


def in_recipients_languages(items: list[DueItem], reread: Callable[[], list[DueItem]]):
    """``worded(item, user_id)``: the item as its recipient reads it, its title (and a digest's
    list) in their language (the default when they chose none), whatever language the items were
    worded in (the sweep's is the default; an announcement's, that of whoever's action made it).
    One query for the recipients' languages (in the default language, only those who chose
    another); ``reread`` (the cycles read again) runs once in each language that differs, only
    when someone needs it. An item the reread does not find keeps its words."""
    current = (translation.get_language() or settings.LANGUAGE_CODE)[:2]
    recipients = {user_id for item in items for user_id in item.recipients}
    people = User.objects.filter(pk__in=recipients)
    if current == Language.ENGLISH:
        people = people.exclude(language__in=["", Language.ENGLISH])
    chosen = {
        pk: code
        for pk, language in people.values_list("pk", "language")
        if (code := language_of(language)[:2]) != current
    }
    again: dict[tuple[str, str], DueItem] = {}
    for language in set(chosen.values()):
        with recipient_language(language):
            again.update({(language, item.key): item for item in reread()})

    def worded(item: DueItem, user_id: int) -> DueItem:
        found = again.get((chosen.get(user_id, ""), item.key))
        return replace(item, title=found.title, details=found.details) if found else item

    return worded


def latest_scheduled_sweep(now: datetime) -> datetime:
    """The most recent moment at or before ``now`` at which the daily sweep is scheduled."""
    local = timezone.localtime(now)
    hour, minute = settings.REMINDERS_SWEEP_AT
    scheduled = local.replace(hour=hour, minute=minute, second=0, microsecond=0)
    return scheduled if scheduled <= local else scheduled - timedelta(days=1)


def sweep_missed(now: datetime | None = None) -> bool:
    """Whether the last scheduled sweep has not run (the scheduler was down, or the service has
    just been installed): the outbox flush then runs it, so nobody waits a day."""
    now = now or timezone.now()
    last = SweepRun.objects.order_by("-started_at").values_list("started_at", flat=True).first()
    return last is None or last < latest_scheduled_sweep(now)


# The coordinators' weekly digest of what is overdue --------------------------------------------


def weekly_digests(
    *, today: date, items: list[DueItem] | None = None, partnership_ids=None
) -> list[DueItem]:
    """One digest per partnership with anything overdue, for its coordinators, keyed by ISO week.
    It is written from the configured weekday on, so a week whose sweep missed that day still
    gets it, once."""
    if today.weekday() < settings.REMINDERS_WEEKLY_DIGEST_WEEKDAY:
        return []
    if items is None:
        items = due_items(today=today, partnership_ids=partnership_ids)
    overdue: dict[int, list[DueItem]] = defaultdict(list)
    for item in items:
        cycle = cycle_for(item.kind)
        in_digest = cycle is None or (cycle.owed_by_partnership and not cycle.need_to_know)
        if item.is_overdue(today) and in_digest:
            overdue[item.partnership_id].append(item)
    if not overdue:
        return []
    coordinators: dict[int, set[int]] = defaultdict(set)
    slugs: dict[int, str] = {}
    for partnership_id, slug, user_id in MembershipPolicy.digest_recipients(overdue).values_list(
        "partnership_id", "partnership__slug", "user_id"
    ):
        coordinators[partnership_id].add(user_id)
        slugs[partnership_id] = slug
    year, week, _weekday = today.isocalendar()
    monday = today - timedelta(days=today.weekday())
    digests = []
    for partnership_id, late in overdue.items():
        if not coordinators[partnership_id]:
            continue
        late = sorted(late, key=lambda item: (item.due_on, item.kind, item.title))
        digests.append(
            DueItem(
                kind=WEEKLY_KIND,
                key=f"weekly:{partnership_id}:{year}-W{week:02d}",
                partnership_id=partnership_id,
                partnership_name=late[0].partnership_name,
                due_on=monday,
                title=ngettext("%(count)s item overdue", "%(count)s items overdue", len(late))
                % {"count": len(late)},
                # The cycle view, showing only what is overdue: the items this digest lists.
                url=reverse("reminders:cycle", kwargs={"partnership_slug": slugs[partnership_id]})
                + "?status=overdue",
                recipients=frozenset(coordinators[partnership_id]),
                details=tuple(
                    {
                        "kind": item.kind,
                        "title": item.title,
                        "due_on": item.due_on.isoformat(),
                        "url": item.url,
                    }
                    for item in late
                ),
            )
        )
    return digests


# Writing ----------------------------------------------------------------------------------------


def announcement_rows(items: list[DueItem], *, today: date, url: str = "") -> list[Row]:
    """A new item is announced at once ("new"); the stage it is already in counts as told
    (covered), so the next sweep does not repeat it the same day. Each row is worded in its
    recipient's language, whoever's action announced it."""

    def reread() -> list[DueItem]:
        return due_items(
            today=today,
            partnership_ids={item.partnership_id for item in items},
            kinds={item.kind for item in items},
        )

    worded = in_recipients_languages(items, reread)
    rows = []
    for original in items:
        covered = stage_for(original.due_on, today)
        for user_id in sorted(original.recipients):
            item = worded(original, user_id)
            rows.append(Row(item=item, user_id=user_id, stage=NEW, url=url))
            if covered is not None:
                rows.append(
                    Row(item=item, user_id=user_id, stage=covered, status=DeliveryStatus.COVERED)
                )
    return rows


_COLUMNS = (
    "user_id",
    "partnership_id",
    "kind",
    "item_key",
    "due_on",
    "stage",
    "title",
    "url",
    "details",
    "created_at",
    "status",
    "attempts",
    "next_attempt_at",
    "last_error",
)
_TYPES = (
    "bigint",
    "bigint",
    "text",
    "text",
    "date",
    "text",
    "text",
    "text",
    "text",
    "timestamptz",
    "text",
    "integer",
    "timestamptz",
    "text",
)


def insert_rows(rows: list[Row]) -> list[tuple[int, str, int]]:
    """Write the rows that do not exist yet, in one statement. Returns (id, stage, user) of each
    row written."""
    if not rows:
        return []
    now = timezone.now()
    values = [
        (
            row.user_id,
            row.item.partnership_id,
            row.item.kind,
            row.item.key,
            row.item.due_on,
            row.stage,
            row.item.title[:300],
            (row.url or row.item.url)[:500],
            json.dumps(list(row.item.details)),
            now,
            row.status,
            0,
            now,
            "",
        )
        for row in rows
    ]
    if connection.vendor != "postgresql":
        return _insert_portably(values)
    table = Notification._meta.db_table
    columns = ", ".join(_COLUMNS)
    arrays = ", ".join(f"%s::{kind}[]" for kind in _TYPES)
    selected = ", ".join(f"{name}::jsonb" if name == "details" else name for name in _COLUMNS)
    sql = (
        f"INSERT INTO {table} ({columns}) "  # noqa: S608 - names are constants, values are bound
        f"SELECT {selected} FROM unnest({arrays}) AS new ({columns}) "
        "ON CONFLICT (item_key, due_on, user_id, stage) DO NOTHING "
        "RETURNING id, stage, user_id"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [list(column) for column in zip(*values, strict=True)])
        return list(cursor.fetchall())


def _insert_portably(values: list[tuple]) -> list[tuple[int, str, int]]:
    """SQLite (``make run`` without DATABASE_URL): the ORM's insert, ignoring conflicts. SQLite
    writes one transaction at a time, so the rows new after the insert are the ones it wrote."""
    with transaction.atomic():
        before = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        Notification.objects.bulk_create(
            [_notification(value) for value in values], ignore_conflicts=True
        )
        return list(
            Notification.objects.filter(pk__gt=before).values_list("pk", "stage", "user_id")
        )


def _notification(value: tuple) -> Notification:
    fields = dict(zip(_COLUMNS, value, strict=True))
    fields["details"] = json.loads(fields["details"])
    return Notification(**fields)
