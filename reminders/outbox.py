"""Sending from the outbox, once per row.

1. Claim: the candidate rows are selected ``FOR UPDATE SKIP LOCKED`` (a concurrent sender skips
   them instead of waiting) and moved from pending to sending under a fresh claim token, in one
   short transaction. Only rows this claim moved are sent by it.
2. Check: each claimed row's item is asked for again from its cycle. A row whose item is no
   longer due (answered, approved, withdrawn, its date moved) or whose person no longer answers
   for it is cancelled, not sent.
3. Send, and mark each row sent as soon as its email has gone. A failed email puts the row back
   to pending with ``next_attempt_at`` moved on by an exponential backoff; after
   REMINDERS_MAX_ATTEMPTS it is marked failed (it still shows in the app).

A sender killed between claim and send leaves rows in "sending": once the claim is older than
REMINDERS_CLAIM_TIMEOUT_SECONDS the next sender takes them over. The one window no outbox can
close is an email that went out just before the process died and before its row was marked; the
Message-ID is the row's, so mail systems can recognise the repeat.

People who chose a daily digest get their rows in one email a day (``digests_send``); the
immediate sender leaves their rows alone.
"""

import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from smtplib import (
    SMTPAuthenticationError,
    SMTPConnectError,
    SMTPException,
    SMTPServerDisconnected,
)
from urllib.parse import urlsplit

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from csp_portal.languages import language_of, recipient_language
from csp_portal.logs import email_headers
from csp_portal.mail import subject_line
from csp_portal.site import site_url

from .cycles import NEW, OVERDUE, WEEKLY, DueItem, due_items, label_for
from .models import DeliveryStatus, Frequency, Notification
from .sweep import WEEKLY_KIND, weekly_digests

logger = logging.getLogger(__name__)

# A claim must be sent well within REMINDERS_CLAIM_TIMEOUT_SECONDS (300 s: 3 s an email).
BATCH_SIZE = 100
DIGEST_USERS = 100


@dataclass
class SendResult:
    sent: int = 0
    emails: int = 0
    cancelled: int = 0
    deferred: int = 0
    failed: int = 0
    retry_at: datetime | None = None
    claimed: int = 0
    errors: list[str] = field(default_factory=list)

    def add(self, other: "SendResult") -> None:
        for name in ("sent", "emails", "cancelled", "deferred", "failed", "claimed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.retry_at and (self.retry_at is None or other.retry_at < self.retry_at):
            self.retry_at = other.retry_at
        self.errors += other.errors


# Claiming ---------------------------------------------------------------------------------------


def _ready(now: datetime) -> Q:
    stale = now - timedelta(seconds=settings.REMINDERS_CLAIM_TIMEOUT_SECONDS)
    return Q(status=DeliveryStatus.PENDING, next_attempt_at__lte=now) | Q(
        status=DeliveryStatus.SENDING, claimed_at__lt=stale
    )


def _by_frequency(queryset, frequency: str):
    daily = Q(user__reminder_preference__frequency=Frequency.DAILY)
    return queryset.filter(daily) if frequency == Frequency.DAILY else queryset.exclude(daily)


def claim(
    *,
    frequency: str,
    ids: list[int] | None = None,
    user_ids: list[int] | None = None,
    retries_only: bool = False,
    limit: int | None = BATCH_SIZE,
) -> tuple[uuid.UUID, list[Notification]]:
    """Take up to ``limit`` rows that are ready to go, for this sender alone."""
    now = timezone.now()
    token = uuid.uuid4()
    candidates = _by_frequency(Notification.objects.filter(_ready(now)), frequency)
    if ids is not None:
        candidates = candidates.filter(pk__in=ids)
    if user_ids is not None:
        candidates = candidates.filter(user_id__in=user_ids)
    if retries_only:
        candidates = candidates.filter(attempts__gt=0)
    with transaction.atomic():
        pks = list(
            candidates.select_for_update(skip_locked=True, of=("self",))
            # A batch of few partnerships is cheap to check (see _current_items).
            .order_by("partnership_id", "pk")
            .values_list("pk", flat=True)[:limit]
        )
        if not pks:
            return token, []
        # The status condition again: on a database without row locks (SQLite) this update is
        # the compare-and-set that keeps two senders off the same row.
        Notification.objects.filter(_ready(now), pk__in=pks).update(
            status=DeliveryStatus.SENDING,
            claim_token=token,
            claimed_at=now,
            attempts=F("attempts") + 1,
        )
    rows = list(
        Notification.objects.filter(pk__in=pks, claim_token=token)
        .select_related("user", "partnership")
        .order_by("pk")
    )
    return token, rows


# Checking that each item is still due -----------------------------------------------------------


def _current_items(rows: list[Notification], today: date) -> dict[tuple[str, str], DueItem]:
    """The items of these rows as their cycles see them now, keyed by (recipient's language,
    item key): each item's title is in the language of the people it goes to. A fixed number
    of queries for each language among the recipients."""
    by_language: dict[str, list[Notification]] = defaultdict(list)
    for row in rows:
        by_language[language_of(row.user)].append(row)
    current = {}
    for language, group in by_language.items():
        with recipient_language(language):
            current.update({(language, item.key): item for item in _items_now(group, today)})
    return current


def _items_now(rows: list[Notification], today: date) -> list[DueItem]:
    partnership_ids = {row.partnership_id for row in rows}
    kinds = {row.kind for row in rows}
    if WEEKLY_KIND in kinds:
        # The digest lists every kind's overdue items: read them all once.
        every = due_items(today=today, partnership_ids=partnership_ids)
        items = [item for item in every if item.kind in kinds]
        items += weekly_digests(today=today, items=every)
    else:
        items = due_items(today=today, partnership_ids=partnership_ids, kinds=kinds)
    return items


_STAGE_ORDER = {NEW: 0, OVERDUE: 10_000, WEEKLY: 0}


def _stage_rank(stage: str) -> int:
    """Later stages rank higher: new, 14, 7, 1, overdue."""
    if stage in _STAGE_ORDER:
        return _STAGE_ORDER[stage]
    return 1_000 - int(stage)


def _sort_out(
    rows: list[Notification], today: date
) -> tuple[list[Notification], list[Notification], list[Notification]]:
    """Split claimed rows into (to send, no longer due, superseded by a later stage)."""
    current = _current_items(rows, today)
    live, gone = [], []
    for row in rows:
        item = current.get((language_of(row.user), row.item_key))
        if item is None or item.due_on != row.due_on or row.user_id not in item.recipients:
            gone.append(row)
            continue
        # The email says the title as the cycle words it now, in the recipient's language.
        row.title = item.title[:300]
        if row.kind == WEEKLY_KIND:
            row.details = list(item.details)
        live.append(row)
    # After an outage several stages of one item may wait for one person: only the latest goes.
    latest: dict[tuple, Notification] = {}
    for row in live:
        key = (row.item_key, row.due_on, row.user_id)
        if key not in latest or _stage_rank(row.stage) > _stage_rank(latest[key].stage):
            latest[key] = row
    superseded = [row for row in live if latest[(row.item_key, row.due_on, row.user_id)] != row]
    live = [row for row in live if row not in superseded]
    return live, gone, superseded


def _settle(rows: list[Notification], token: uuid.UUID, status: str) -> int:
    if not rows:
        return 0
    return Notification.objects.filter(pk__in=[row.pk for row in rows], claim_token=token).update(
        status=status, claim_token=None
    )


def _mark_sent(rows: list[Notification], token: uuid.UUID) -> None:
    now = timezone.now()
    for row in rows:
        update = {"status": DeliveryStatus.SENT, "sent_at": now, "claim_token": None}
        if row.kind == WEEKLY_KIND:  # as it was sent, after the send-time check
            update.update(details=row.details, title=row.title)
        Notification.objects.filter(pk=row.pk, claim_token=token).update(**update, last_error="")


def backoff(attempts: int) -> timedelta:
    seconds = settings.REMINDERS_RETRY_SECONDS * 2 ** max(attempts - 1, 0)
    return timedelta(seconds=min(seconds, settings.REMINDERS_RETRY_MAX_SECONDS))


def _defer(rows: list[Notification], token: uuid.UUID, error: Exception, result: SendResult):
    now = timezone.now()
    message = f"{type(error).__name__}: {error}"[:1000]
    result.errors.append(message)
    for row in rows:
        if row.attempts >= settings.REMINDERS_MAX_ATTEMPTS:
            status, retry_at = DeliveryStatus.FAILED, row.next_attempt_at
            result.failed += 1
            logger.error("Gave up emailing notification %s: %s", row.pk, message)
        else:
            status, retry_at = DeliveryStatus.PENDING, now + backoff(row.attempts)
            result.deferred += 1
            if result.retry_at is None or retry_at < result.retry_at:
                result.retry_at = retry_at
            logger.warning("Emailing notification %s failed; retry at %s", row.pk, retry_at)
        Notification.objects.filter(pk=row.pk, claim_token=token).update(
            status=status, claim_token=None, next_attempt_at=retry_at, last_error=message
        )


# Sending ----------------------------------------------------------------------------------------


# The mail server itself is unreachable: the rest of the batch waits too, rather than each email
# waiting for its own connection to time out. Any other error (a refused recipient, a 4xx reply)
# concerns that email alone.
def mail_server_down(error: Exception) -> bool:
    if isinstance(error, SMTPServerDisconnected | SMTPConnectError | SMTPAuthenticationError):
        return True
    # Socket errors, refused connections and timeouts (SMTP's own errors are OSErrors too).
    return isinstance(error, OSError) and not isinstance(error, SMTPException)


def _deliver(groups: list[list[Notification]], build, token: uuid.UUID, result: SendResult):
    """One email per group of rows over one connection; each group is marked sent as soon as
    its email has gone."""
    connection = get_connection(fail_silently=False)
    try:
        connection.open()
    except Exception as error:
        _defer([row for group in groups for row in group], token, error, result)
        return
    try:
        for index, group in enumerate(groups):
            try:
                connection.send_messages([build(group)])
            except Exception as error:  # retried with backoff, then given up
                if mail_server_down(error):
                    _defer([row for rest in groups[index:] for row in rest], token, error, result)
                    return
                _defer(group, token, error, result)
            else:
                _mark_sent(group, token)
                result.sent += len(group)
                result.emails += 1
    finally:
        try:
            connection.close()
        except Exception:
            logger.warning("The mail server connection did not close cleanly", exc_info=True)


def outbox_send(
    *, ids: list[int] | None = None, limit: int | None = None, today: date | None = None
) -> SendResult:
    """Email every ready row of people who want each reminder as it happens (of ``ids`` only,
    when given), batch by batch until none is left (one batch with ``limit``)."""
    result = SendResult()
    today = today or timezone.localdate()
    while True:
        token, rows = claim(frequency=Frequency.IMMEDIATE, ids=ids, limit=limit or BATCH_SIZE)
        if not rows:
            return result
        result.claimed += len(rows)
        live, gone, superseded = _sort_out(rows, today)
        result.cancelled += _settle(gone, token, DeliveryStatus.CANCELLED)
        _settle(superseded, token, DeliveryStatus.COVERED)
        _deliver(
            [[row] for row in live],
            lambda group: reminder_email(group[0], today=today),
            token,
            result,
        )
        if limit is not None:
            return result


def digests_send(*, retries_only: bool = False, today: date | None = None) -> SendResult:
    """One email to each person who chose a daily digest, with everything waiting for them."""
    result = SendResult()
    today = today or timezone.localdate()
    while True:
        # Whole people at a time, so that each gets everything in one email.
        waiting = _by_frequency(
            Notification.objects.filter(_ready(timezone.now())), Frequency.DAILY
        )
        if retries_only:
            waiting = waiting.filter(attempts__gt=0)
        user_ids = list(
            waiting.order_by("user_id").values_list("user_id", flat=True).distinct()[:DIGEST_USERS]
        )
        if not user_ids:
            return result
        token, rows = claim(
            frequency=Frequency.DAILY, user_ids=user_ids, retries_only=retries_only, limit=None
        )
        if not rows:  # another sender took them
            return result
        result.claimed += len(rows)
        live, gone, superseded = _sort_out(rows, today)
        result.cancelled += _settle(gone, token, DeliveryStatus.CANCELLED)
        _settle(superseded, token, DeliveryStatus.COVERED)
        by_user: dict[int, list[Notification]] = defaultdict(list)
        for row in live:
            by_user[row.user_id].append(row)
        _deliver(
            list(by_user.values()), lambda group: digest_email(group, today=today), token, result
        )


# The emails -------------------------------------------------------------------------------------


def _message_id(kind: str, pk: int) -> str:
    domain = urlsplit(settings.CSP_SITE_URL).hostname or "localhost"
    return f"<{kind}.{pk}@{domain}>"


def status_text(*, stage: str, due_on: date, today: date) -> str:
    """How the item stands, in words: "Due in 7 days", "Due today", "Overdue"."""
    if stage == WEEKLY:
        return _("Overdue items this week")
    days = (due_on - today).days
    if days < 0:
        return _("Overdue")
    if stage == NEW:
        return _("New")
    if days == 0:
        return _("Due today")
    return ngettext("Due in %(days)s day", "Due in %(days)s days", days) % {"days": days}


def entry(row: Notification, *, today: date) -> dict:
    """What a message may say about one row: the item's title, partnership, due date and link."""
    return {
        "label": label_for(row.kind),
        "title": row.title,
        "partnership": row.partnership.name,
        "due_on": row.due_on,
        "status": status_text(stage=row.stage, due_on=row.due_on, today=today),
        "link": site_url(row.url),
        "is_weekly": row.kind == WEEKLY_KIND,
        "items": [
            {
                "label": label_for(item["kind"]),
                "title": item["title"],
                "due_on": date.fromisoformat(item["due_on"]),
                "link": site_url(item["url"]),
            }
            for item in row.details
        ],
    }


def _common_context(user) -> dict:
    return {
        "name": user.full_name or user.email,
        "settings_link": site_url(reverse("reminders:settings")),
        "notifications_link": site_url(reverse("reminders:list")),
    }


def reminder_email(row: Notification, *, today: date) -> EmailMultiAlternatives:
    with recipient_language(row.user):
        item = entry(row, today=today)
        context = {**_common_context(row.user), "item": item}
        if item["is_weekly"]:
            subject = _("[%(partnership)s] %(title)s") % item
        elif row.stage == NEW:
            subject = _("[%(partnership)s] %(label)s: %(title)s") % item
        else:
            subject = _("[%(partnership)s] %(status)s: %(title)s") % item
        message = EmailMultiAlternatives(
            subject=subject_line(subject),
            body=render_to_string("reminders/email/reminder.txt", context),
            to=[row.user.email],
            headers={"Message-ID": _message_id("reminder", row.pk), **email_headers()},
        )
        message.attach_alternative(
            render_to_string("reminders/email/reminder.html", context), "text/html"
        )
    return message


def digest_email(rows: list[Notification], *, today: date) -> EmailMultiAlternatives:
    user = rows[0].user
    with recipient_language(user):
        items = [entry(row, today=today) for row in rows]
        context = {**_common_context(user), "items": items, "today": today}
        subject = ngettext(
            "Your CSP Portal reminders for %(day)s: %(count)s item",
            "Your CSP Portal reminders for %(day)s: %(count)s items",
            len(items),
        ) % {"day": date_format(today, "j F Y"), "count": len(items)}
        message = EmailMultiAlternatives(
            subject=subject_line(subject),
            body=render_to_string("reminders/email/digest.txt", context),
            to=[user.email],
            headers={
                "Message-ID": _message_id("digest", min(row.pk for row in rows)),
                **email_headers(),
            },
        )
        message.attach_alternative(
            render_to_string("reminders/email/digest.html", context), "text/html"
        )
    return message
