"""Every change a person or another app makes to reminders: one function per intent."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from csp_portal.queue import enqueue_on_commit

from .cycles import NEW, DueItem
from .models import EmailPreference, Frequency, Notification
from .selectors import notifications_of
from .sweep import announcement_rows, insert_rows


def notifications_announce(*, items: list[DueItem], link: str = "") -> int:
    """Tell each item's people about a new item (a contribution request), through the outbox.

    Call inside the transaction that creates the item: the rows commit with it, and their
    emails are queued after commit. If the broker is down the rows wait for the outbox flush.
    ``link`` (a path on this site) replaces the item's own path when given; emails make it
    absolute with CSP_SITE_URL.
    Returns how many people were told.
    """
    written = insert_rows(announcement_rows(items, today=timezone.localdate(), url=link))
    new = [pk for pk, stage, _user in written if stage == NEW]
    if new:
        from .tasks import send_notifications

        enqueue_on_commit(send_notifications, new)
    return len(new)


def notification_mark_read(*, acting_user: User, notification: Notification) -> Notification:
    """Mark one of the person's own notifications read (the view found it among theirs)."""
    if notification.user_id != acting_user.pk:
        raise ValueError("A person marks only their own notifications read.")
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(
            read_at=notification.read_at
        )
    return notification


def notifications_read_on_visit(*, acting_user: User, path: str, full_path: str) -> int:
    """The person opened ``path``: their unread notifications whose link is that page (with or
    without its query) are read now. Returns how many remain unread. One query, which counts
    the unread and those about this page; a write only when one is about this page."""
    unread = notifications_of(user=acting_user).filter(read_at__isnull=True)
    here = Q(url__in={path, full_path}) | Q(url__startswith=f"{path}?")
    counts = unread.aggregate(unread=Count("pk"), here=Count("pk", filter=here))
    if not counts["here"]:
        return counts["unread"]
    read = unread.filter(here).update(read_at=timezone.now())
    return counts["unread"] - read


def notifications_mark_all_read(*, acting_user: User) -> int:
    return Notification.objects.filter(user=acting_user, read_at__isnull=True).update(
        read_at=timezone.now()
    )


@transaction.atomic
def email_preference_update(*, acting_user: User, frequency: str) -> EmailPreference:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": _("Choose how often you want emails")})
    preference, _created = EmailPreference.objects.update_or_create(
        user=acting_user, defaults={"frequency": frequency}
    )
    return preference


def notifications_withdraw(*, user: User, item_key_prefix: str) -> int:
    """Take back a person's notifications about items they may no longer know of (a DHR whose
    access was removed): pending ones never go, sent ones leave their list. Returns how many."""
    deleted, _per_model = Notification.objects.filter(
        user=user, item_key__startswith=item_key_prefix
    ).delete()
    return deleted
