"""Read paths for a person's own notifications. Nobody reads another person's."""

from django.db.models import QuerySet
from django.http import Http404

from accounts.models import User
from partnerships.models import Membership

from .models import VISIBLE_STATUSES, EmailPreference, Frequency, Notification


def notifications_of(*, user: User) -> QuerySet[Notification]:
    """The person's notifications about partnerships they still serve: someone who has left a
    partnership no longer reads its items' titles."""
    if not user.is_authenticated:
        return Notification.objects.none()
    return Notification.objects.filter(
        user=user,
        status__in=VISIBLE_STATUSES,
        partnership_id__in=Membership.objects.filter(user=user).values("partnership_id"),
    )


def notification_list(*, user: User) -> QuerySet[Notification]:
    return notifications_of(user=user).select_related("partnership").order_by("-created_at", "-pk")


def notification_for(*, user: User, notification_id: int) -> Notification:
    try:
        return notifications_of(user=user).get(pk=notification_id)
    except Notification.DoesNotExist:
        raise Http404 from None


def unread_count(*, user: User) -> int:
    """One query; the header shows it on every page."""
    return notifications_of(user=user).filter(read_at__isnull=True).count()


def email_frequency(*, user: User) -> str:
    preference = EmailPreference.objects.filter(user=user).values_list("frequency", flat=True)
    return preference.first() or Frequency.IMMEDIATE
